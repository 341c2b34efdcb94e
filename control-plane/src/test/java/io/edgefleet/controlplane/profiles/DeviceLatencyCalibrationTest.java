package io.edgefleet.controlplane.profiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.edgefleet.controlplane.analysis.AnalysisData;
import io.edgefleet.controlplane.profiles.DeviceLatencyCalibration.Factor;
import io.edgefleet.controlplane.profiles.DeviceLatencyCalibration.Sample;
import io.edgefleet.schemas.events.LayerAnalysis;
import io.edgefleet.schemas.events.LayerAnalysis.PrecisionOption;
import io.edgefleet.schemas.events.OpTiming;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceLatencyCalibrationTest {
  // worker host: conv 100 µs float32 / 60 float16 / 20 int8; pool 10 µs float32 / 4 int8 (no float16 option)
  private static final AnalysisData ANALYSIS = new AnalysisData("m-1", "sha", "w-1", 1000, 100, 32,
      "w-1 host (x86_64, 1 thread)", 10, Instant.EPOCH, List.of(
          layer("0:CONV_2D", Map.of("float32", 100.0, "float16", 60.0, "int8", 20.0)),
          layer("1:MAX_POOL_2D", Map.of("float32", 10.0, "int8", 4.0))));

  @Test
  void shouldTakeTheMedianDeviceToWorkerRatioOverBuildsAndDevices() {
    // FULL_INT8 on the worker: 20 + 4 = 24 µs; FLOAT16: 60 + 10 (pool stays float32) = 70 µs; MIXED conv int8 pool
    // float32: 30 µs
    List<Sample> samples = List.of(
        sample("b-int8", "d1", "FULL_INT8", Map.of(), 48),
        sample("b-int8", "d2", "FULL_INT8", Map.of(), 72),
        sample("b-f16", "d1", "FLOAT16", Map.of(), 140),
        sample("b-mixed", "d3", "MIXED", Map.of("0:CONV_2D", "int8", "1:MAX_POOL_2D", "float32"), 90));

    Factor f = DeviceLatencyCalibration.factor(ANALYSIS, samples).orElseThrow();

    assertThat(f.ratios()).containsExactly(2.0, 3.0, 2.0, 3.0);
    assertThat(f.factor()).isEqualTo(2.5);
    assertThat(f.samples()).isEqualTo(4);
    assertThat(f.builds()).isEqualTo(3);
    assertThat(f.skipped()).isZero();
  }

  @Test
  void shouldSkipSamplesTheTableCannotPredictAndGiveNothingWithoutAUsableOne() {
    List<Sample> unusable = List.of(
        sample("b-dyn", "d1", "DYNAMIC_RANGE_INT8", Map.of(), 50), // not a mode the planner builds
        sample("b-mixed", "d1", "MIXED", Map.of("9:ADD", "int8"), 50), // a layer the analysis does not have
        sample("b-int8", "d2", "FULL_INT8", Map.of(), 0)); // nothing measured on the device

    assertThat(DeviceLatencyCalibration.factor(ANALYSIS, unusable)).isEmpty();
    Factor f = DeviceLatencyCalibration.factor(ANALYSIS, List.of(unusable.get(0),
        sample("b-int8", "d3", "FULL_INT8", Map.of(), 36))).orElseThrow();
    assertThat(f.factor()).isEqualTo(1.5);
    assertThat(f.skipped()).isEqualTo(1);
  }

  @Test
  void shouldScaleEveryMeasuredLatencyAndStateTheBasis() {
    Factor f = new Factor(2.5, 4, 3, List.of(2.0, 3.0, 2.0, 3.0), 0);
    AnalysisData unmeasured = new AnalysisData("m-1", "sha", "w-1", 1000, 100, 32, "w-1 host", 10, Instant.EPOCH,
        List.of(new LayerAnalysis("0:ADD", "ADD", 0, 0, null,
            Map.of("float32", new PrecisionOption(0, -1, 1, 0, 0, -1)))));

    AnalysisData scaled = DeviceLatencyCalibration.apply(ANALYSIS, "hc-abc", f);

    assertThat(scaled.layers().get(0).options().get("int8").latencyMicros()).isCloseTo(50.0, within(1e-9));
    assertThat(scaled.layers().get(0).options().get("int8").sizeBytes()).isEqualTo(8);
    assertThat(scaled.layers().get(1).options().get("float32").latencyMicros()).isCloseTo(25.0, within(1e-9));
    assertThat(scaled.latencyHost()).startsWith("devices of hc-abc: worker host w-1 host (x86_64, 1 thread) × 2.500")
        .contains("4 device profile(s) of 3 build(s)");
    assertThat(DeviceLatencyCalibration.isCalibrated(scaled)).isTrue();
    assertThat(DeviceLatencyCalibration.isCalibrated(ANALYSIS)).isFalse();
    // an unmeasured latency stays unmeasured
    assertThat(DeviceLatencyCalibration.apply(unmeasured, "hc-abc", f).layers().get(0).options().get("float32")
        .latencyMicros()).isEqualTo(-1);
    assertThat(scaled.fixedBytes()).isEqualTo(ANALYSIS.fixedBytes());
  }

  private static LayerAnalysis layer(String id, Map<String, Double> latency) {
    java.util.Map<String, PrecisionOption> options = new java.util.TreeMap<>();
    latency.forEach((k, v) -> options.put(k, new PrecisionOption(k.equals("int8") ? 8 : 16, v, 0.99, 0, 0, -1)));
    return new LayerAnalysis(id, id.substring(id.indexOf(':') + 1), 10, 100, null, options);
  }

  private static Sample sample(String build, String device, String mode, Map<String, String> layers,
      double deviceMicros) {
    return new Sample(build, device, mode, layers, deviceMicros <= 0 ? List.of()
        : List.of(new OpTiming(0, "op-a", deviceMicros * 0.75, deviceMicros * 0.75, 0.75, 10),
            new OpTiming(1, "op-b", deviceMicros * 0.25, deviceMicros * 0.25, 0.25, 10)));
  }
}
