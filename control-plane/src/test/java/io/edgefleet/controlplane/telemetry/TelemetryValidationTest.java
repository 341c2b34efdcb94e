package io.edgefleet.controlplane.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefleet.controlplane.errors.ControlPlaneException;
import io.edgefleet.controlplane.errors.ErrorCode;
import io.edgefleet.schemas.events.InferenceTelemetry;
import io.edgefleet.schemas.events.LatencyStats;
import io.edgefleet.schemas.events.OpTiming;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TelemetryValidationTest {
  private static final Instant END = Instant.parse("2026-11-23T10:00:00Z");

  @Test
  void shouldAcceptABatchWithoutOrWithAReasonableOperatorProfile() {
    assertThat(TelemetryService.validate(batch(null))).isNull();
    assertThat(TelemetryService.validate(batch(ops(TelemetryService.MAX_PROFILED_OPS, "CONV_2D")))).isNull();
  }

  @Test
  void shouldRejectAnOperatorProfileOverTheBounds() {
    assertThatThrownBy(() -> TelemetryService.validate(batch(ops(TelemetryService.MAX_PROFILED_OPS + 1, "ADD"))))
        .isInstanceOfSatisfying(ControlPlaneException.class, e -> assertThat(e.code())
            .isEqualTo(ErrorCode.EVENT_REJECTED))
        .hasMessageContaining("more than " + TelemetryService.MAX_PROFILED_OPS);
    assertThatThrownBy(() -> TelemetryService.validate(batch(ops(1, "X".repeat(TelemetryService.MAX_OP_NAME + 1)))))
        .isInstanceOfSatisfying(ControlPlaneException.class, e -> assertThat(e.code())
            .isEqualTo(ErrorCode.EVENT_REJECTED))
        .hasMessageContaining("longer than " + TelemetryService.MAX_OP_NAME);
  }

  private static List<OpTiming> ops(int n, String name) {
    return IntStream.range(0, n).mapToObj(i -> new OpTiming(i, name, 1, 1, 1.0 / n, 5)).toList();
  }

  private static InferenceTelemetry batch(List<OpTiming> ops) {
    return new InferenceTelemetry("dev-1", 1, "b".repeat(64), null, "hc-1", END.minusSeconds(5), END,
        new LatencyStats(0, 0, 0, 0, 0, 0, null), 0, 0, 0, 0, 0, 1, ops);
  }
}
