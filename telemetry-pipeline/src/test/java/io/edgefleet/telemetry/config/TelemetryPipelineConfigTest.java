package io.edgefleet.telemetry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefleet.telemetry.TelemetryErrorCode;
import io.edgefleet.telemetry.TelemetryPipelineException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TelemetryPipelineConfigTest {

  @Test
  void shouldApplyDefaults() {
    TelemetryPipelineConfig c = TelemetryPipelineConfig.defaults("127.0.0.1:9092");
    assertThat(c.inputTopic()).isEqualTo("fleet.telemetry");
    assertThat(c.deadLetterTopic()).isEqualTo("fleet.telemetry.dlq");
    assertThat(c.windowSize()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.windowGrace()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.processingGuarantee()).isEqualTo(TelemetryPipelineConfig.AT_LEAST_ONCE);
    assertThat(c.httpPort()).isEqualTo(8095);
  }

  @Test
  void shouldPreferSystemPropertiesOverEnvironment() {
    TelemetryPipelineConfig c = TelemetryPipelineConfig.from(TelemetryPipelineConfig.source(
        Map.of("telemetry.kafka.bootstrap-servers", "a:1", "telemetry.window.size", "5m"),
        Map.of("TELEMETRY_WINDOW_SIZE", "2m", "TELEMETRY_WINDOW_GRACE", "1h", "TELEMETRY_PROCESSING_GUARANTEE",
            "EXACTLY_ONCE_V2")));
    assertThat(c.windowSize()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.windowGrace()).isEqualTo(Duration.ofHours(1));
    assertThat(c.windowRetention()).isEqualTo(Duration.ofHours(24));
    assertThat(c.processingGuarantee()).isEqualTo(TelemetryPipelineConfig.EXACTLY_ONCE_V2);
  }

  @Test
  void shouldRejectInvalidSettingsNamingTheKey() {
    assertThatThrownBy(() -> TelemetryPipelineConfig.from(TelemetryPipelineConfig.source(Map.of(), Map.of())))
        .isInstanceOf(TelemetryPipelineException.class)
        .hasMessageContaining("telemetry.kafka.bootstrap-servers")
        .satisfies(e -> assertThat(((TelemetryPipelineException) e).code()).isEqualTo(TelemetryErrorCode.INVALID_CONFIG));
    assertThatThrownBy(() -> TelemetryPipelineConfig.from(TelemetryPipelineConfig.source(
        Map.of("telemetry.kafka.bootstrap-servers", "a:1", "telemetry.window.retention", "30s"), Map.of())))
        .hasMessageContaining("telemetry.window.retention");
    assertThatThrownBy(() -> TelemetryPipelineConfig.from(TelemetryPipelineConfig.source(
        Map.of("telemetry.kafka.bootstrap-servers", "a:1", "telemetry.window.size", "one minute"), Map.of())))
        .hasMessageContaining("TELEMETRY_WINDOW_SIZE");
    assertThatThrownBy(() -> TelemetryPipelineConfig.from(TelemetryPipelineConfig.source(
        Map.of("telemetry.kafka.bootstrap-servers", "a:1", "telemetry.processing-guarantee", "exactly_once"), Map.of())))
        .hasMessageContaining("exactly_once_v2");
  }
}
