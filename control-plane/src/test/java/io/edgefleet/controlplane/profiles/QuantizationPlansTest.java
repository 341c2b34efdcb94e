package io.edgefleet.controlplane.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefleet.planner.LayerProfile;
import io.edgefleet.planner.Precision;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuantizationPlansTest {
  private static final LayerProfile CONV = layer("0:CONV_2D", Precision.FLOAT32, Precision.FLOAT16, Precision.INT8);
  private static final LayerProfile POOL = layer("1:MAX_POOL_2D", Precision.FLOAT32, Precision.INT8);
  private static final LayerProfile FC = layer("2:FULLY_CONNECTED", Precision.FLOAT32, Precision.FLOAT16, Precision.INT8);
  private static final List<LayerProfile> MODEL = List.of(CONV, POOL, FC);

  @Test
  void shouldMapFloat16WeightsWithWeightlessLayersInFloat32ToTheFloat16Mode() {
    Map<String, Precision> gpu = Map.of("0:CONV_2D", Precision.FLOAT16, "1:MAX_POOL_2D", Precision.FLOAT32,
        "2:FULLY_CONNECTED", Precision.FLOAT16);

    var plan = QuantizationPlans.of(gpu, MODEL, "gpu");

    assertThat(plan.mode()).isEqualTo("FLOAT16");
    assertThat(plan.layerPrecisions()).isEmpty();
    assertThat(plan.planHash()).isEqualTo(QuantizationPlans.of(Map.of("0:CONV_2D", Precision.FLOAT16), List.of(CONV),
        "same mode, same hash").planHash());
  }

  @Test
  void shouldKeepAWeightedLayerInFloat32AsAMixedPlan() {
    Map<String, Precision> partly = Map.of("0:CONV_2D", Precision.FLOAT32, "1:MAX_POOL_2D", Precision.FLOAT32,
        "2:FULLY_CONNECTED", Precision.FLOAT16);

    var plan = QuantizationPlans.of(partly, MODEL, "cpu");

    assertThat(plan.mode()).isEqualTo("MIXED");
    assertThat(plan.layerPrecisions()).containsEntry("0:CONV_2D", "float32").hasSize(3);
  }

  @Test
  void shouldMapAllInt8ToFullInt8AndAnythingElseToMixed() {
    assertThat(QuantizationPlans.mode(Map.of("0:CONV_2D", Precision.INT8, "1:MAX_POOL_2D", Precision.INT8,
        "2:FULLY_CONNECTED", Precision.INT8), MODEL)).isEqualTo("FULL_INT8");
    assertThat(QuantizationPlans.mode(Map.of("0:CONV_2D", Precision.INT8, "1:MAX_POOL_2D", Precision.FLOAT32,
        "2:FULLY_CONNECTED", Precision.INT8), MODEL)).isEqualTo("MIXED");
    assertThat(QuantizationPlans.mode(Map.of("0:CONV_2D", Precision.FLOAT32, "1:MAX_POOL_2D", Precision.FLOAT32,
        "2:FULLY_CONNECTED", Precision.FLOAT32), MODEL)).isEqualTo("MIXED");
  }

  private static LayerProfile layer(String id, Precision... options) {
    java.util.EnumMap<Precision, Double> sensitivity = new java.util.EnumMap<>(Precision.class);
    java.util.EnumMap<Precision, Long> size = new java.util.EnumMap<>(Precision.class);
    for (Precision p : options) {
      sensitivity.put(p, 0.0);
      size.put(p, 100L);
    }
    return new LayerProfile(id, id.substring(id.indexOf(':') + 1), 10, 10, sensitivity, size, Map.of());
  }
}
