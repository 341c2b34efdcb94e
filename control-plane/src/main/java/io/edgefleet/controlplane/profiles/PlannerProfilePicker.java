package io.edgefleet.controlplane.profiles;

import io.edgefleet.controlplane.analysis.AnalysisData;
import io.edgefleet.controlplane.errors.ControlPlaneException;
import io.edgefleet.controlplane.errors.ErrorCode;
import io.edgefleet.planner.BudgetKind;
import io.edgefleet.planner.BudgetViolation;
import io.edgefleet.planner.InfeasiblePlanException;
import io.edgefleet.planner.LayerProfile;
import io.edgefleet.planner.Objective;
import io.edgefleet.planner.Plan;
import io.edgefleet.planner.PlanConstraints;
import io.edgefleet.planner.Planner;
import io.edgefleet.planner.PlannerErrorCode;
import io.edgefleet.planner.PlannerException;
import io.edgefleet.planner.Precision;
import io.edgefleet.planner.UniformBaseline;
import io.edgefleet.planner.hardware.HardwareBudget;
import io.edgefleet.planner.hardware.HardwareCapabilities;
import io.edgefleet.planner.hardware.HardwareConstraints;
import io.edgefleet.planner.hardware.HardwarePolicy;
import io.edgefleet.planner.pareto.ParetoAxis;
import io.edgefleet.planner.pareto.ParetoFrontier;
import io.edgefleet.planner.pareto.ParetoPoint;
import io.edgefleet.schemas.api.HardwareProfile;
import io.edgefleet.schemas.events.LayerAnalysis;
import io.edgefleet.schemas.events.QuantizationPlan;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Plans per hardware class with the OR-Tools planner, from the model's measured analysis:
 *
 * <ul>
 *   <li>hardware class → {@link HardwareConstraints#derive}: allowed precisions (accelerator / CPU features) and the
 *       model size budget (min of a share of free storage and of RAM, smallest device of the class); the layers get
 *       that budget minus the analysis' fixed bytes;
 *   <li>rollout SLO {@code maxAccuracyDrop} → bound on the predicted loss Σ per layer (1 − agreement), the additive
 *       disagreement metric (it upper-bounds the expected top-1 agreement drop);
 *   <li>rollout p95 latency gate → bound on the summed per-layer latencies of the class's latency table: the worker
 *       host's, scaled to device time once devices of the class profiled the model ({@link DeviceLatencyCalibrator});
 *       applied only when the analysis measured latencies;
 *   <li>layers sharing a {@code tieGroup} → ties;
 *   <li>objective {@link Objective#MIN_SIZE}: the smallest build meeting the SLOs, ties → lower loss, then latency.
 * </ul>
 * When a uniform int8 or float16 plan is as good as the solver's plan (same or smaller size, same or lower loss, every
 * constraint met) the uniform plan is used: it maps to an established build mode and shares builds across classes.
 */
public final class PlannerProfilePicker implements ProfilePicker {
  static final String OBJECTIVE = "MIN_SIZE: smallest predicted model size meeting every constraint; ties go to the"
      + " lower predicted loss, then the lower predicted latency";
  static final String LOSS_METRIC = "predicted loss = Σ per layer (1 − agreement): each layer's top-1 disagreement"
      + " with the float model when only that layer is quantized, measured by the worker; additive, an upper-bound"
      + " estimate of the accuracy (agreement) drop to expect";
  private static final double EPS = 1e-12;
  private static final List<Precision> BASELINES = List.of(Precision.INT8, Precision.FLOAT16, Precision.FLOAT32);

  private final Planner planner;
  private final HardwarePolicy policy;

  public PlannerProfilePicker(Planner planner, HardwarePolicy policy) {
    this.planner = Objects.requireNonNull(planner, "planner");
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  @Override
  public PlanDecision pick(String hardwareClass, List<HardwareProfile> devices, AnalysisData analysis, Slo slo) {
    Setup s = setup(hardwareClass, devices, analysis);
    PlanConstraints constraints = s.base.withMaxSizeBytes(s.layerBudget).withMaxPredictedLoss(slo.maxAccuracyDrop());
    List<PlanExplanation.Constraint> explained = new ArrayList<>(s.explained);
    explained.add(new PlanExplanation.Constraint("maxPredictedLoss", Double.toString(slo.maxAccuracyDrop()),
        "rollout-slo", "rollout maxAccuracyDrop " + slo.maxAccuracyDrop() + " bounds the " + LOSS_METRIC));
    List<String> notes = new ArrayList<>(s.notes);
    boolean latencyApplied = false;
    if (slo.maxP95LatencyMicros() != null) {
      if (latencyMeasured(analysis.layers())) {
        constraints = constraints.withMaxLatencyMicros(slo.maxP95LatencyMicros());
        latencyApplied = true;
        explained.add(new PlanExplanation.Constraint("maxLatencyMicros", Double.toString(slo.maxP95LatencyMicros()),
            "rollout-slo", DeviceLatencyCalibration.isCalibrated(analysis)
                ? "rollout gate maxP95LatencyMicros bounds the summed per-layer latencies in device time ("
                    + analysis.latencyHost() + "): a proxy for device p95"
                : "rollout gate maxP95LatencyMicros bounds the summed per-layer latencies measured on the worker host ("
                    + analysis.latencyHost() + "), not on the device (no device of the class profiled this model"
                    + " yet): a proxy for device p95"));
      } else {
        notes.add("the rollout's p95 latency gate (" + slo.maxP95LatencyMicros() + " µs) was not applied to the"
            + " plan: the analysis has no per-layer latencies for every layer; the gate still applies to telemetry");
      }
    }

    Plan plan;
    try {
      plan = planner.plan(s.profiles, constraints, Objective.MIN_SIZE);
    } catch (InfeasiblePlanException e) {
      throw infeasible(hardwareClass, s, slo, latencyApplied, analysis, e);
    } catch (PlannerException e) {
      throw plannerFailure(hardwareClass, e);
    }

    String solverStatus = plan.stats().status().name();
    Double wallTime = plan.stats().wallTimeSeconds();
    List<PlanExplanation.Baseline> baselines = baselines(s, constraints, analysis.fixedBytes());
    Plan chosen = plan;
    if (QuantizationPlans.MIXED.equals(QuantizationPlans.mode(plan.assignment(), s.profiles))) {
      for (Precision uniform : List.of(Precision.INT8, Precision.FLOAT16)) {
        Plan baseline = uniform(s, uniform, latencyApplied);
        if (baseline != null && meets(baseline, constraints, s.hardware.allowedPrecisions(), latencyApplied)
            && baseline.predictedSizeBytes() <= plan.predictedSizeBytes()
            && baseline.predictedLoss() <= plan.predictedLoss() + EPS) {
          chosen = baseline;
          solverStatus = "EVALUATED";
          notes.add("the uniform " + uniform.key() + " plan is as good as the solver's mixed plan (size "
              + (baseline.predictedSizeBytes() + analysis.fixedBytes()) + " B, predicted loss "
              + round(baseline.predictedLoss()) + ") and meets every constraint: used instead, it maps to an"
              + " established build mode");
          break;
        }
      }
    }

    Map<String, Integer> counts = new TreeMap<>();
    chosen.assignment().values().forEach(p -> counts.merge(p.key(), 1, Integer::sum));
    long size = chosen.predictedSizeBytes() + analysis.fixedBytes();
    String mode = QuantizationPlans.mode(chosen.assignment(), s.profiles);
    String rationale = hardwareClass + ": " + mode + " " + counts + ", predicted " + size + " B, loss "
        + round(chosen.predictedLoss()) + " ≤ " + slo.maxAccuracyDrop() + "; " + s.hardware.rationale()
        + "; objective MIN_SIZE";
    QuantizationPlan qp = QuantizationPlans.of(chosen.assignment(), s.profiles, rationale);
    PlanExplanation explanation = new PlanExplanation(hardwareClass, devices.size(), OBJECTIVE, LOSS_METRIC,
        List.copyOf(explained), qp.mode(), qp.planHash(),
        new PlanExplanation.Prediction(size, analysis.fixedBytes(), latency(chosen), analysis.latencyHost(),
            chosen.predictedLoss()),
        counts, solverStatus, wallTime, baselines, List.copyOf(notes));
    return new PlanDecision(hardwareClass, qp, explanation);
  }

  /**
   * The loss-versus-cost frontier for a hardware class: budgets on {@code axis} swept from all-low to all-high cost,
   * each planned for minimum predicted loss under the class's allowed precisions and ties (and, on the latency axis,
   * its size budget).
   */
  public ParetoView pareto(String hardwareClass, List<HardwareProfile> devices, AnalysisData analysis, ParetoAxis axis,
      int steps) {
    Setup s = setup(hardwareClass, devices, analysis);
    PlanConstraints base = s.base;
    if (axis == ParetoAxis.LATENCY) {
      if (!latencyMeasured(analysis.layers())) {
        throw new ControlPlaneException(ErrorCode.ANALYSIS_LATENCY_NOT_MEASURED, "the analysis of model "
            + analysis.modelId() + " has no per-layer latencies for every layer; use axis=size");
      }
      base = base.withMaxSizeBytes(s.layerBudget);
    }
    ParetoFrontier frontier;
    try {
      frontier = ParetoFrontier.sweep(planner, s.profiles, base, axis, ParetoFrontier.uniformFractions(steps));
    } catch (InfeasiblePlanException e) {
      throw new ControlPlaneException(ErrorCode.PLAN_INFEASIBLE, "hardware class " + hardwareClass + ": "
          + e.getMessage()).with("hardwareClass", hardwareClass);
    } catch (PlannerException e) {
      throw plannerFailure(hardwareClass, e);
    }
    long fixed = analysis.fixedBytes();
    List<ParetoView.Point> points = new ArrayList<>();
    for (ParetoPoint p : frontier.points()) {
      Plan plan = p.plan();
      Map<String, String> layers = new TreeMap<>();
      plan.assignment().forEach((id, precision) -> layers.put(id, precision.key()));
      double budget = axis == ParetoAxis.SIZE ? p.budget() + fixed : p.budget();
      points.add(new ParetoView.Point(p.fraction(), budget, plan.predictedLoss(), plan.predictedSizeBytes() + fixed,
          latency(plan), plan.predictedSizeBytes() <= s.layerBudget, QuantizationPlans.mode(plan.assignment(), s.profiles),
          QuantizationPlans.of(plan.assignment(), s.profiles, "pareto").planHash(), layers));
    }
    double low = axis == ParetoAxis.SIZE ? frontier.lowCost() + fixed : frontier.lowCost();
    double high = axis == ParetoAxis.SIZE ? frontier.highCost() + fixed : frontier.highCost();
    return new ParetoView(analysis.modelId(), hardwareClass, axis.name().toLowerCase(java.util.Locale.ROOT),
        s.hardware.rationale(), s.hardware.maxModelBytes(), fixed, analysis.latencyHost(), low, high,
        List.copyOf(points), frontier.skipped().size());
  }

  // ---------------------------------------------------------------------------------------------- helpers

  /** Planner input shared by plans and frontiers: profiles, the hardware budget, allowed precisions and ties. */
  private record Setup(List<LayerProfile> profiles, HardwareBudget hardware, long layerBudget, PlanConstraints base,
      List<PlanExplanation.Constraint> explained, List<String> notes) {}

  private Setup setup(String hardwareClass, List<HardwareProfile> devices, AnalysisData analysis) {
    HardwareCapabilities caps = HardwareMapping.capabilities(hardwareClass, devices);
    HardwareBudget hw = HardwareConstraints.derive(caps, policy);
    List<LayerProfile> profiles = profiles(analysis.layers());
    long layerBudget = Math.max(0, hw.maxModelBytes() - analysis.fixedBytes());
    List<java.util.Set<String>> ties = ties(analysis.layers());
    PlanConstraints base = PlanConstraints.unconstrained().withAllowedPrecisions(hw.allowedPrecisions())
        .withTies(ties);
    List<PlanExplanation.Constraint> explained = new ArrayList<>();
    explained.add(new PlanExplanation.Constraint("allowedPrecisions",
        hw.allowedPrecisions().stream().map(Precision::key).toList().toString(), "hardware-class",
        hardwareClass + " (accelerator " + caps.acceleratorType() + ", cpu " + caps.arch() + " "
            + caps.cpuFeatures() + "): " + hw.rationale()));
    explained.add(new PlanExplanation.Constraint("maxModelBytes", Long.toString(hw.maxModelBytes()),
        "hardware-class", "smallest device of " + hardwareClass + " (" + devices.size() + " device(s)): "
            + hw.rationale() + "; per-layer budget " + layerBudget + " B after the model's " + analysis.fixedBytes()
            + " fixed bytes"));
    if (!ties.isEmpty()) {
      explained.add(new PlanExplanation.Constraint("ties", ties.toString(), "model-analysis",
          "layers of one tie group share one precision (e.g. the inputs of one ADD)"));
    }
    List<String> notes = new ArrayList<>();
    Set<Precision> measured = EnumSet.noneOf(Precision.class);
    profiles.forEach(p -> measured.addAll(p.sizeBytes().keySet()));
    EnumSet<Precision> unmeasured = EnumSet.copyOf(hw.allowedPrecisions());
    unmeasured.removeAll(measured);
    if (!unmeasured.isEmpty()) {
      notes.add("allowed but not measured by the analysis, so not planned: "
          + unmeasured.stream().map(Precision::key).toList());
    }
    return new Setup(profiles, hw, layerBudget, base, explained, notes);
  }

  /** Planner profiles of the analysed layers: sensitivity = 1 − agreement; latency only where measured (≥ 0). */
  static List<LayerProfile> profiles(List<LayerAnalysis> layers) {
    List<LayerProfile> out = new ArrayList<>(layers.size());
    for (LayerAnalysis l : layers) {
      Map<Precision, Double> loss = new EnumMap<>(Precision.class);
      Map<Precision, Long> size = new EnumMap<>(Precision.class);
      Map<Precision, Double> latency = new EnumMap<>(Precision.class);
      l.options().forEach((key, o) -> {
        Precision p = Precision.fromKey(key);
        loss.put(p, Math.max(0.0, 1.0 - o.agreement()));
        size.put(p, o.sizeBytes());
        if (o.latencyMicros() >= 0) {
          latency.put(p, o.latencyMicros());
        }
      });
      out.add(new LayerProfile(l.layerId(), l.opType(), Math.max(0, l.paramCount()), Math.max(0, l.macs()), loss,
          size, latency));
    }
    return out;
  }

  static List<java.util.Set<String>> ties(List<LayerAnalysis> layers) {
    Map<String, java.util.Set<String>> groups = new TreeMap<>();
    for (LayerAnalysis l : layers) {
      if (l.tieGroup() != null && !l.tieGroup().isBlank()) {
        groups.computeIfAbsent(l.tieGroup(), g -> new java.util.TreeSet<>()).add(l.layerId());
      }
    }
    return groups.values().stream().filter(g -> g.size() > 1).toList();
  }

  /** True when every layer has at least one measured latency (so a latency budget can be planned). */
  static boolean latencyMeasured(List<LayerAnalysis> layers) {
    return layers.stream().allMatch(l -> l.options().values().stream().anyMatch(o -> o.latencyMicros() >= 0));
  }

  private static Plan uniform(Setup s, Precision precision, boolean needLatency) {
    boolean covered = s.profiles.stream().allMatch(l -> l.sizeBytes().containsKey(precision)
        && l.sensitivity().containsKey(precision) && (!needLatency || l.latencyMicros().containsKey(precision)));
    return covered ? UniformBaseline.plan(s.profiles, precision) : null;
  }

  private static boolean meets(Plan p, PlanConstraints c, Set<Precision> allowed, boolean latency) {
    return violations(p, c, allowed, latency, 0).isEmpty();
  }

  private static List<String> violations(Plan p, PlanConstraints c, Set<Precision> allowed, boolean latency,
      long fixed) {
    List<String> out = new ArrayList<>();
    Set<Precision> used = EnumSet.noneOf(Precision.class);
    used.addAll(p.assignment().values());
    if (!allowed.containsAll(used)) {
      out.add("precision not executed by the hardware class");
    }
    if (c.maxSizeBytes() != null && p.predictedSizeBytes() > c.maxSizeBytes()) {
      out.add("size " + (p.predictedSizeBytes() + fixed) + " B > " + (c.maxSizeBytes() + fixed) + " B");
    }
    if (c.maxPredictedLoss() != null && p.predictedLoss() > c.maxPredictedLoss() + EPS) {
      out.add("predicted loss " + round(p.predictedLoss()) + " > " + c.maxPredictedLoss());
    }
    if (latency && c.maxLatencyMicros() != null
        && (!p.latencyKnown() || p.predictedLatencyMicros() > c.maxLatencyMicros() + EPS)) {
      out.add("predicted latency " + latency(p) + " µs > " + c.maxLatencyMicros() + " µs");
    }
    return out;
  }

  private List<PlanExplanation.Baseline> baselines(Setup s, PlanConstraints c, long fixed) {
    List<PlanExplanation.Baseline> out = new ArrayList<>();
    boolean latency = c.maxLatencyMicros() != null;
    for (Precision precision : BASELINES) {
      Plan p = uniform(s, precision, false);
      if (p == null) {
        continue;
      }
      List<String> violations = violations(p, c, s.hardware.allowedPrecisions(), latency, fixed);
      out.add(new PlanExplanation.Baseline(precision.key(), QuantizationPlans.mode(p.assignment(), s.profiles),
          p.predictedSizeBytes() + fixed, latency(p), p.predictedLoss(),
          s.hardware.allowedPrecisions().contains(precision), violations.isEmpty(), violations));
    }
    return out;
  }

  private static ControlPlaneException infeasible(String hardwareClass, Setup s, Slo slo, boolean latencyApplied,
      AnalysisData analysis, InfeasiblePlanException e) {
    String allowed = s.hardware.allowedPrecisions().stream().map(Precision::key).toList().toString();
    if (e.violations().isEmpty()) {
      return new ControlPlaneException(ErrorCode.PLAN_INFEASIBLE, "hardware class " + hardwareClass
          + ": no plan with the class's precisions " + allowed + " (" + s.hardware.rationale() + "): "
          + e.getMessage()).with("hardwareClass", hardwareClass).with("constraint", "allowedPrecisions")
          .with("plannerCode", e.code().key());
    }
    long fixed = analysis.fixedBytes();
    List<Map<String, Object>> violations = new ArrayList<>();
    StringBuilder detail = new StringBuilder("hardware class ").append(hardwareClass).append(": ");
    for (int i = 0; i < e.violations().size(); i++) {
      BudgetViolation v = e.violations().get(i);
      double smallest = v.infeasibleAlone() || Double.isNaN(v.smallestAchievableWithOtherBudgets())
          ? v.smallestAchievableAlone() : v.smallestAchievableWithOtherBudgets();
      String constraint;
      String source;
      double limit;
      String text;
      if (v.kind() == BudgetKind.SIZE) {
        constraint = "maxModelBytes";
        source = "hardware-class";
        limit = v.budget() + fixed;
        smallest += fixed;
        text = "model size budget " + (long) limit + " B (" + s.hardware.rationale() + ") cannot be met: smallest"
            + " achievable model size with " + allowed + " is " + (long) smallest + " B";
      } else if (v.kind() == BudgetKind.PREDICTED_LOSS) {
        constraint = "maxAccuracyDrop";
        source = "rollout-slo";
        limit = slo.maxAccuracyDrop();
        text = "rollout SLO maxAccuracyDrop " + limit + " cannot be met: the smallest achievable predicted loss"
            + " Σ(1 − agreement) with the class's precisions " + allowed + " is " + round(smallest);
      } else {
        constraint = "maxP95LatencyMicros";
        source = "rollout-slo";
        limit = v.budget();
        text = "rollout latency gate maxP95LatencyMicros " + limit + " µs cannot be met: the smallest achievable"
            + " latency (" + analysis.latencyHost() + ") with " + allowed + " is " + round(smallest)
            + " µs";
      }
      if (!v.infeasibleAlone()) {
        text += " while meeting the other budgets";
      }
      if (i > 0) {
        detail.append("; ");
      }
      detail.append(text);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("constraint", constraint);
      m.put("source", source);
      m.put("limit", limit);
      m.put("smallestAchievable", smallest);
      m.put("alone", v.infeasibleAlone());
      violations.add(m);
    }
    Map<String, Object> first = violations.get(0);
    return new ControlPlaneException(ErrorCode.PLAN_INFEASIBLE, detail.toString())
        .with("hardwareClass", hardwareClass).with("constraint", first.get("constraint"))
        .with("smallestAchievable", first.get("smallestAchievable")).with("limit", first.get("limit"))
        .with("violations", violations).with("plannerCode", e.code().key())
        .with("latencyBudgetApplied", latencyApplied);
  }

  private static ControlPlaneException plannerFailure(String hardwareClass, PlannerException e) {
    if (e.code() == PlannerErrorCode.INVALID_INPUT) {
      return new ControlPlaneException(ErrorCode.ANALYSIS_INVALID, "hardware class " + hardwareClass
          + ": the analysis cannot be planned: " + e.getMessage(), e);
    }
    return new ControlPlaneException(ErrorCode.PLANNING_FAILED, "hardware class " + hardwareClass + ": "
        + e.code().key() + ": " + e.getMessage(), e);
  }

  private static Double latency(Plan p) {
    return p.latencyKnown() ? p.predictedLatencyMicros() : null;
  }

  private static double round(double v) {
    return Math.round(v * 1e9) / 1e9;
  }
}
