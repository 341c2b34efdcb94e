package io.edgefleet.controlplane.analysis;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefleet.controlplane.errors.ControlPlaneException;
import io.edgefleet.controlplane.errors.ErrorCode;
import io.edgefleet.schemas.events.AnalysisCompleted;
import io.edgefleet.schemas.events.LayerAnalysis;
import io.edgefleet.schemas.events.LayerAnalysis.PrecisionOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnalysisValidationTest {
  private static final PrecisionOption FP32 = new PrecisionOption(400, 10, 1.0, 0, 0, -1);
  private static final PrecisionOption INT8 = new PrecisionOption(120, -1, 0.99, 1e-3, 2e-3, 1e-4);

  @Test
  void shouldAcceptAPlannableAnalysis() {
    assertThatCode(() -> AnalysisService.validate(completed(List.of(
        layer("0:CONV_2D", Map.of("float32", FP32, "int8", INT8)),
        layer("1:FULLY_CONNECTED", Map.of("float32", FP32, "int8", INT8)))))).doesNotThrowAnyException();
  }

  @Test
  void shouldRejectAnalysesThePlannerCannotUse() {
    assertInvalid(List.of(), "no decision layers");
    assertInvalid(List.of(layer("0:CONV_2D", Map.of("float32", FP32)), layer("0:CONV_2D", Map.of("float32", FP32))),
        "duplicated");
    assertInvalid(List.of(layer("0:CONV_2D", Map.of())), "no precision options");
    assertInvalid(List.of(layer("0:CONV_2D", Map.of("bfloat16", FP32))), "unknown precision 'bfloat16'");
    assertInvalid(List.of(layer("0:CONV_2D", Map.of("int8", new PrecisionOption(10, 1, 1.5, 0, 0, -1)))),
        "agreement in [0, 1]");
    assertInvalid(List.of(layer("0:CONV_2D", Map.of("int8", new PrecisionOption(-1, 1, 0.9, 0, 0, -1)))),
        "size must be >= 0");
  }

  private static void assertInvalid(List<LayerAnalysis> layers, String message) {
    assertThatThrownBy(() -> AnalysisService.validate(completed(layers)))
        .isInstanceOfSatisfying(ControlPlaneException.class, e -> org.assertj.core.api.Assertions
            .assertThat(e.code()).isEqualTo(ErrorCode.ANALYSIS_INVALID))
        .hasMessageContaining(message);
  }

  private static LayerAnalysis layer(String id, Map<String, PrecisionOption> options) {
    return new LayerAnalysis(id, id.substring(id.indexOf(':') + 1), 100, 1000, null, options);
  }

  private static AnalysisCompleted completed(List<LayerAnalysis> layers) {
    return new AnalysisCompleted("m-1", "ab".repeat(32), "w-1", 1000, 100, 32, "host", layers, 10, Instant.now());
  }
}
