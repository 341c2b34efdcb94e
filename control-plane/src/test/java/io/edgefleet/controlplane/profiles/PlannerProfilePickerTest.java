package io.edgefleet.controlplane.profiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.edgefleet.controlplane.analysis.AnalysisData;
import io.edgefleet.controlplane.errors.ControlPlaneException;
import io.edgefleet.controlplane.errors.ErrorCode;
import io.edgefleet.planner.PlanHash;
import io.edgefleet.planner.Planner;
import io.edgefleet.planner.PlannerOptions;
import io.edgefleet.planner.Precision;
import io.edgefleet.planner.hardware.HardwarePolicy;
import io.edgefleet.planner.pareto.ParetoAxis;
import io.edgefleet.schemas.api.AcceleratorInfo;
import io.edgefleet.schemas.api.HardwareProfile;
import io.edgefleet.schemas.events.BuildKeys;
import io.edgefleet.schemas.events.LayerAnalysis;
import io.edgefleet.schemas.events.LayerAnalysis.PrecisionOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PlannerProfilePickerTest {
  private static final PlannerProfilePicker PICKER = new PlannerProfilePicker(
      new Planner(PlannerOptions.defaults().withTimeLimit(Duration.ofSeconds(20))), HardwarePolicy.defaults());

  /** x86 CPU without int8 dot-product instructions: every precision but int4-weights. */
  private static final HardwareProfile CPU = hw(AcceleratorInfo.none(), 8L << 30, 32L << 30);
  /** An NPU that executes int8 only. */
  private static final HardwareProfile NPU = hw(new AcceleratorInfo("npu", List.of("INT8")), 4L << 30, 16L << 30);
  /** A GPU delegate executing float16 only. */
  private static final HardwareProfile GPU = hw(new AcceleratorInfo("gpu", List.of("FLOAT16")), 4L << 30, 16L << 30);

  /** Per-layer int8 disagreement: layer 1 (the depthwise conv) is the sensitive one. Σ = 0.041. */
  private static final double[] INT8_LOSS = {0.004, 0.030, 0.005, 0.002};

  @Test
  void shouldPlanACpuClassSmallerThanFloatAndWithinTheLossBudget() {
    PlanDecision d = PICKER.pick("hc-cpu", List.of(CPU), analysis(null, null), new Slo(0.02, null));

    assertThat(d.plan().mode()).isEqualTo("MIXED");
    assertThat(d.plan().layerPrecisions()).containsOnlyKeys("0:CONV_2D", "1:DEPTHWISE_CONV_2D", "2:CONV_2D",
        "3:FULLY_CONNECTED");
    // the sensitive layer stays in float16, the others go to int8 (int4 is not allowed without dot-product)
    assertThat(d.plan().layerPrecisions()).containsEntry("1:DEPTHWISE_CONV_2D", "float16")
        .containsEntry("0:CONV_2D", "int8").containsEntry("2:CONV_2D", "int8").containsEntry("3:FULLY_CONNECTED", "int8");
    PlanExplanation e = d.explanation();
    assertThat(e.predicted().predictedLoss()).isLessThanOrEqualTo(0.02);
    assertThat(e.predicted().predictedLoss()).isCloseTo(0.004 + 0.001 + 0.005 + 0.002, within(1e-9));
    PlanExplanation.Baseline fp16 = baseline(e, "float16");
    PlanExplanation.Baseline fp32 = baseline(e, "float32");
    PlanExplanation.Baseline int8 = baseline(e, "int8");
    assertThat(e.predicted().sizeBytes()).isLessThan(fp16.sizeBytes()).isLessThan(fp32.sizeBytes())
        .isGreaterThan(int8.sizeBytes());
    assertThat(int8.meetsConstraints()).isFalse();
    assertThat(int8.violations()).anyMatch(v -> v.startsWith("predicted loss"));
    assertThat(fp16.meetsConstraints()).isTrue();
    assertThat(e.solverStatus()).isEqualTo("OPTIMAL");
    assertThat(e.objective()).startsWith("MIN_SIZE");
    assertThat(e.constraints()).extracting(PlanExplanation.Constraint::name, PlanExplanation.Constraint::source)
        .contains(org.assertj.core.groups.Tuple.tuple("allowedPrecisions", "hardware-class"),
            org.assertj.core.groups.Tuple.tuple("maxModelBytes", "hardware-class"),
            org.assertj.core.groups.Tuple.tuple("maxPredictedLoss", "rollout-slo"));
    assertThat(e.constraints().get(0).value()).doesNotContain("int4-weights").contains("int8");
    assertThat(e.precisionCounts()).containsEntry("int8", 3).containsEntry("float16", 1);
  }

  @Test
  void shouldGiveAnInt8OnlyNpuTheUniformFullInt8Mode() {
    PlanDecision d = PICKER.pick("hc-npu", List.of(NPU), analysis(null, null), new Slo(0.05, null));

    assertThat(d.plan().mode()).isEqualTo("FULL_INT8");
    assertThat(d.plan().layerPrecisions()).isEmpty();
    // the uniform hash is unchanged, so builds made before the planner keep their keys
    assertThat(d.plan().planHash()).isEqualTo(BuildKeys.sha256Hex("mode=FULL_INT8".getBytes(StandardCharsets.UTF_8)));
    assertThat(d.explanation().predicted().predictedLoss()).isCloseTo(0.041, within(1e-9));
    assertThat(d.explanation().constraints().get(0).value()).isEqualTo("[int8]");
  }

  @Test
  void shouldGiveAFloat16GpuTheFloat16Mode() {
    PlanDecision d = PICKER.pick("hc-gpu", List.of(GPU), analysis(null, null), new Slo(0.01, null));

    assertThat(d.plan().mode()).isEqualTo("FLOAT16");
    assertThat(d.plan().layerPrecisions()).isEmpty();
    assertThat(d.plan().planHash()).isEqualTo(BuildKeys.sha256Hex("mode=FLOAT16".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void shouldExplainAnInfeasibleClassWithTheSmallestAchievableLoss() {
    assertThatThrownBy(() -> PICKER.pick("hc-npu", List.of(NPU), analysis(null, null), new Slo(0.01, null)))
        .isInstanceOfSatisfying(ControlPlaneException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.PLAN_INFEASIBLE);
          assertThat(e.code().status()).isEqualTo(422);
          assertThat(e.getMessage()).contains("hc-npu").contains("maxAccuracyDrop 0.01").contains("0.041")
              .contains("[int8]");
          assertThat(e.extensions()).containsEntry("hardwareClass", "hc-npu")
              .containsEntry("constraint", "maxAccuracyDrop");
          assertThat((double) e.extensions().get("smallestAchievable")).isCloseTo(0.041, within(1e-9));
        });
  }

  @Test
  void shouldExplainASizeBudgetTheSmallestBuildCannotMeet() {
    // 10 % of 200 KB of free storage = 20 000 B; the smallest (all int8) model is fixed + layers
    HardwareProfile tiny = hw(new AcceleratorInfo("npu", List.of("INT8")), 4L << 30, 200_000);
    long smallest = 1_000 + 4 * (12_000 + 4 * 64 + 2 * 64 * 12);
    assertThatThrownBy(() -> PICKER.pick("hc-tiny", List.of(tiny), analysis(null, null), new Slo(0.05, null)))
        .isInstanceOfSatisfying(ControlPlaneException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.PLAN_INFEASIBLE);
          assertThat(e.extensions()).containsEntry("constraint", "maxModelBytes");
          assertThat(e.getMessage()).contains("hc-tiny").contains("model size budget 20000 B")
              .contains("smallest achievable model size with [int8] is " + smallest + " B");
        });
  }

  @Test
  void shouldKeepTiedLayersOnOnePrecision() {
    PlanDecision free = PICKER.pick("hc-cpu", List.of(CPU), analysis(null, null), new Slo(0.02, null));
    assertThat(free.plan().layerPrecisions().get("1:DEPTHWISE_CONV_2D"))
        .isNotEqualTo(free.plan().layerPrecisions().get("2:CONV_2D"));

    PlanDecision tied = PICKER.pick("hc-cpu", List.of(CPU), analysis("residual", null), new Slo(0.02, null));
    assertThat(tied.plan().layerPrecisions().get("1:DEPTHWISE_CONV_2D"))
        .isEqualTo(tied.plan().layerPrecisions().get("2:CONV_2D")).isEqualTo("float16");
    assertThat(tied.explanation().constraints()).anyMatch(c -> c.name().equals("ties"));
  }

  @Test
  void shouldHashEqualPlansEquallyWhateverTheLayerOrder() {
    AnalysisData a = analysis(null, null);
    List<LayerAnalysis> reversed = new ArrayList<>(a.layers());
    Collections.reverse(reversed);
    AnalysisData b = new AnalysisData(a.modelId(), a.modelSha256(), a.workerId(), a.floatSizeBytes(), a.fixedBytes(),
        a.sensitivitySamples(), a.latencyHost(), a.durationMillis(), a.completedAt(), reversed);

    PlanDecision first = PICKER.pick("hc-cpu", List.of(CPU), a, new Slo(0.02, null));
    PlanDecision second = PICKER.pick("hc-cpu", List.of(CPU), b, new Slo(0.02, null));

    assertThat(second.plan().planHash()).isEqualTo(first.plan().planHash());
    Map<String, Precision> assignment = new TreeMap<>();
    first.plan().layerPrecisions().forEach((k, v) -> assignment.put(k, Precision.fromKey(v)));
    assertThat(first.plan().planHash()).isEqualTo(BuildKeys.sha256Hex(
        ("mode=MIXED\n" + PlanHash.canonical(assignment)).getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void shouldApplyTheLatencyGateToWorkerHostLatencies() {
    // int8 layers take 100 µs each, float16 ones 300 µs: 0.02 loss needs a float16 layer (1000 µs in total)
    PlanDecision ok = PICKER.pick("hc-cpu", List.of(CPU), analysis(null, 100.0), new Slo(0.02, 1_000.0));
    assertThat(ok.explanation().predicted().latencyMicros()).isEqualTo(600.0);
    assertThat(ok.explanation().constraints()).anyMatch(c -> c.name().equals("maxLatencyMicros")
        && c.source().equals("rollout-slo") && c.detail().contains("worker host"));

    assertThatThrownBy(() -> PICKER.pick("hc-cpu", List.of(CPU), analysis(null, 100.0), new Slo(0.02, 500.0)))
        .isInstanceOfSatisfying(ControlPlaneException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.PLAN_INFEASIBLE);
          assertThat(e.getMessage()).contains("hc-cpu").contains("smallest achievable latency");
        });
  }

  @Test
  void shouldApplyTheLatencyGateInDeviceTimeOnceTheClassProfiledTheModel() {
    // the class's devices run this model 2× slower than the worker host: the 1000 µs budget is 500 worker-host µs,
    // which the 0.02 loss SLO cannot meet (it needs a float16 layer: 600 worker-host µs = 1200 device µs)
    AnalysisData calibrated = DeviceLatencyCalibration.apply(analysis(null, 100.0), "hc-cpu",
        new DeviceLatencyCalibration.Factor(2.0, 3, 1, List.of(2.0, 2.0, 2.0), 0));
    assertThatThrownBy(() -> PICKER.pick("hc-cpu", List.of(CPU), calibrated, new Slo(0.02, 1_000.0)))
        .isInstanceOfSatisfying(ControlPlaneException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.PLAN_INFEASIBLE);
          assertThat(e.getMessage()).contains("devices of hc-cpu").contains("1200");
        });
    PlanDecision ok = PICKER.pick("hc-cpu", List.of(CPU), calibrated, new Slo(0.02, 1_200.0));
    assertThat(ok.explanation().predicted().latencyMicros()).isEqualTo(1200.0);
    assertThat(ok.explanation().predicted().latencyHost()).startsWith("devices of hc-cpu");
    assertThat(ok.explanation().constraints()).anyMatch(c -> c.name().equals("maxLatencyMicros")
        && c.detail().contains("device time"));
  }

  @Test
  void shouldUseTheSmallestDeviceOfAClassForItsSizeBudget() {
    // 10 % of 670 000 B: just above the 66 504 B of the plan that meets a 0.02 loss budget
    HardwareProfile small = hw(AcceleratorInfo.none(), 8L << 30, 670_000);
    PlanDecision d = PICKER.pick("hc-cpu", List.of(CPU, small), analysis(null, null), new Slo(0.02, null));
    assertThat(d.explanation().devices()).isEqualTo(2);
    assertThat(d.explanation().constraints()).anyMatch(c -> c.name().equals("maxModelBytes")
        && c.value().equals("67000"));
    assertThat(d.explanation().predicted().sizeBytes()).isEqualTo(66_504);

    HardwareProfile smaller = hw(AcceleratorInfo.none(), 8L << 30, 660_000);
    assertThatThrownBy(() -> PICKER.pick("hc-cpu", List.of(CPU, smaller), analysis(null, null), new Slo(0.02, null)))
        .isInstanceOfSatisfying(ControlPlaneException.class, e -> assertThat(e.code())
            .isEqualTo(ErrorCode.PLAN_INFEASIBLE));
  }

  @Test
  void shouldSweepAParetoFrontierWithinTheClassPrecisions() {
    ParetoView view = PICKER.pareto("hc-cpu", List.of(CPU), analysis(null, null), ParetoAxis.SIZE, 11);
    assertThat(view.points()).hasSizeGreaterThanOrEqualTo(2);
    for (int i = 1; i < view.points().size(); i++) {
      assertThat(view.points().get(i).sizeBytes()).isGreaterThan(view.points().get(i - 1).sizeBytes());
      assertThat(view.points().get(i).predictedLoss()).isLessThan(view.points().get(i - 1).predictedLoss());
    }
    assertThat(view.points()).allSatisfy(p -> assertThat(p.layerPrecisions().values()).doesNotContain("int4-weights"));
    assertThat(view.points().get(0).mode()).isEqualTo("FULL_INT8");
  }

  // ------------------------------------------------------------------------------------------------ fixtures

  private static PlanExplanation.Baseline baseline(PlanExplanation e, String precision) {
    return e.baselines().stream().filter(b -> b.precision().equals(precision)).findFirst().orElseThrow();
  }

  private static HardwareProfile hw(AcceleratorInfo acc, long ram, long storage) {
    return new HardwareProfile("x86_64", "Test CPU", 4, ram, storage, List.of("avx2", "fma"), acc, "Linux 6", "2.19");
  }

  /**
   * Four weighted layers of 12 000 weights, 64 output channels: sizes from the parameter counts as the worker
   * computes them; agreements as a worker would measure them. {@code tie} ties layers 1 and 2; {@code int8Latency}
   * gives int8 layers that latency and float16/float32 layers three/five times it.
   */
  static AnalysisData analysis(String tie, Double int8Latency) {
    String[] ids = {"0:CONV_2D", "1:DEPTHWISE_CONV_2D", "2:CONV_2D", "3:FULLY_CONNECTED"};
    List<LayerAnalysis> layers = new ArrayList<>();
    long weights = 12_000;
    long bias = 64;
    for (int i = 0; i < ids.length; i++) {
      double lat = int8Latency == null ? -1 : int8Latency;
      Map<String, PrecisionOption> options = new TreeMap<>();
      options.put("float32", new PrecisionOption(4 * (weights + bias), int8Latency == null ? -1 : 5 * lat, 1.0, 0, 0,
          -1));
      options.put("float16", new PrecisionOption(2 * (weights + bias), int8Latency == null ? -1 : 3 * lat, 0.999,
          1e-6, 1e-6, 1e-7));
      options.put("int8", new PrecisionOption(weights + 4 * bias + 2 * bias * 12, lat, 1 - INT8_LOSS[i], 1e-3,
          2e-3, 1e-4));
      options.put("int4-weights", new PrecisionOption(weights / 2 + 4 * bias + 2 * bias * 12,
          int8Latency == null ? -1 : 2 * lat, 0.9, 1e-2, 3e-2, 1e-3));
      String group = tie != null && (i == 1 || i == 2) ? tie : null;
      String op = ids[i].substring(ids[i].indexOf(':') + 1);
      layers.add(new LayerAnalysis(ids[i], op, weights + bias, 1_000_000, group, options));
    }
    return new AnalysisData("model-1", "ab".repeat(32), "worker-1", 4 * 4 * (weights + bias) + 1_000, 1_000, 500,
        "x86_64 test host, 1 thread", 1234, Instant.parse("2026-01-01T00:00:00Z"), layers);
  }
}
