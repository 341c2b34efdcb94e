package io.edgefleet.controlplane.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefleet.controlplane.errors.ControlPlaneException;
import io.edgefleet.controlplane.errors.ErrorCode;
import io.edgefleet.controlplane.testing.TinyModels;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ModelValidatorTest {
  private final byte[] model = TinyModels.classifier(1);
  private final byte[] cal = TinyModels.samples(8, false, 2);
  private final byte[] eval = TinyModels.samples(12, true, 3);

  @Test
  void shouldAcceptAValidUpload() {
    ValidatedUpload v = ModelValidator.validate(model, cal, eval);

    assertThat(v.calibrationSamples()).isEqualTo(8);
    assertThat(v.evalSamples()).isEqualTo(12);
    assertThat(v.summary().opCounts()).containsKeys("FULLY_CONNECTED", "SOFTMAX");
  }

  @Test
  void shouldRejectGarbageAsCorruptModel() {
    byte[] garbage = "this is definitely not a flatbuffer model".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> ModelValidator.validate(garbage, cal, eval))
        .isInstanceOfSatisfying(ControlPlaneException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_CORRUPT));
  }

  @Test
  void shouldRejectATruncatedModel() {
    byte[] truncated = Arrays.copyOf(model, model.length / 2);

    assertThatThrownBy(() -> ModelValidator.validate(truncated, cal, eval))
        .isInstanceOfSatisfying(ControlPlaneException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_CORRUPT));
  }

  @Test
  void shouldRejectSamplesOfAnotherShape() {
    byte[] wrong = io.edgefleet.quantization.samples.SampleSetCodec.write(
        new io.edgefleet.quantization.samples.SampleSet(new int[] {4, 4, 1}, new float[][] {new float[16]}, null));

    assertThatThrownBy(() -> ModelValidator.validate(model, wrong, eval))
        .isInstanceOfSatisfying(ControlPlaneException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.SAMPLES_MISMATCH));
  }

  @Test
  void shouldRejectUnreadableSamplesAndUnlabelledEvalSets() {
    assertThatThrownBy(() -> ModelValidator.validate(model, new byte[] {1, 2, 3}, eval))
        .isInstanceOfSatisfying(ControlPlaneException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.SAMPLES_INVALID));
    assertThatThrownBy(() -> ModelValidator.validate(model, cal, cal))
        .isInstanceOfSatisfying(ControlPlaneException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.SAMPLES_MISMATCH));
  }
}
