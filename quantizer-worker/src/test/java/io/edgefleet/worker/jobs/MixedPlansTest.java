package io.edgefleet.worker.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefleet.quantization.model.TfliteModel;
import io.edgefleet.quantization.quantize.LayerPrecision;
import io.edgefleet.worker.WorkerErrorCode;
import io.edgefleet.worker.WorkerException;
import io.edgefleet.worker.testing.TinyModels;
import java.util.HashMap;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** MIXED plan checks on the tiny classifier: 0:RESHAPE, 1:FULLY_CONNECTED, 2:FULLY_CONNECTED, 3:SOFTMAX. */
class MixedPlansTest {
  private static final TfliteModel MODEL = TfliteModel.parse(TinyModels.classifier(7));

  private static Map<String, String> validPlan() {
    Map<String, String> plan = new HashMap<>();
    plan.put("0:RESHAPE", "int8");
    plan.put("1:FULLY_CONNECTED", "int4-weights");
    plan.put("2:FULLY_CONNECTED", "float16");
    plan.put("3:SOFTMAX", "float32");
    return plan;
  }

  @Test
  void shouldResolveAValidPlanToOnePrecisionPerOperator() {
    Map<Integer, LayerPrecision> resolved = MixedPlans.resolve(MODEL, validPlan());

    assertThat(resolved)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                0, LayerPrecision.INT8,
                1, LayerPrecision.INT4_WEIGHTS,
                2, LayerPrecision.FLOAT16,
                3, LayerPrecision.FLOAT32));
  }

  @Test
  void shouldOfferHalfPrecisionAndInt4OnlyForWeightedLayers() {
    assertThat(MixedPlans.candidates(MODEL.ops().get(0)))
        .containsExactly(LayerPrecision.FLOAT32, LayerPrecision.INT8);
    assertThat(MixedPlans.candidates(MODEL.ops().get(1)))
        .containsExactlyInAnyOrder(
            LayerPrecision.FLOAT32, LayerPrecision.FLOAT16, LayerPrecision.INT8, LayerPrecision.INT4_WEIGHTS);
  }

  @Test
  void shouldRejectAnUnknownLayerId() {
    Map<String, String> plan = validPlan();
    plan.put("9:CONV_2D", "int8");

    assertInvalid(() -> MixedPlans.resolve(MODEL, plan), "unknown layer '9:CONV_2D'");
  }

  @Test
  void shouldRejectAMalformedLayerId() {
    Map<String, String> plan = validPlan();
    plan.remove("3:SOFTMAX");
    plan.put("softmax", "int8");

    assertInvalid(() -> MixedPlans.resolve(MODEL, plan), "'softmax' is not <opIndex>:<OP>");
  }

  @Test
  void shouldRejectAMissingLayer() {
    Map<String, String> plan = validPlan();
    plan.remove("2:FULLY_CONNECTED");

    assertInvalid(() -> MixedPlans.resolve(MODEL, plan), "'2:FULLY_CONNECTED' has no precision");
  }

  @Test
  void shouldRejectALayerIdWhoseOperatorDiffers() {
    Map<String, String> plan = validPlan();
    plan.remove("3:SOFTMAX");
    plan.put("3:CONV_2D", "int8");

    assertInvalid(() -> MixedPlans.resolve(MODEL, plan), "'3:CONV_2D' is a SOFTMAX");
  }

  @Test
  void shouldRejectAPrecisionTheOperatorCannotBeBuiltWith() {
    Map<String, String> plan = validPlan();
    plan.put("0:RESHAPE", "float16");

    assertInvalid(() -> MixedPlans.resolve(MODEL, plan), "'0:RESHAPE' cannot be built at float16");
  }

  @Test
  void shouldRejectUnknownAndWholeModelOnlyPrecisions() {
    Map<String, String> plan = validPlan();
    plan.put("1:FULLY_CONNECTED", "int3");
    plan.put("2:FULLY_CONNECTED", "int16x8");

    assertInvalid(() -> MixedPlans.resolve(MODEL, plan), "unknown precision 'int3'");
    assertInvalid(() -> MixedPlans.resolve(MODEL, plan), "int16x8 exists only as a whole-model mode");
  }

  private static void assertInvalid(ThrowingCallable call, String fragment) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            WorkerException.class, e -> assertThat(e.code()).isEqualTo(WorkerErrorCode.INVALID_PLAN))
        .hasMessageContaining(fragment);
  }
}
