package io.edgefleet.controlplane.profiles;

import java.util.List;
import java.util.Map;

/**
 * Why a hardware class gets its plan: the objective, every constraint with where it came from, what the plan is
 * predicted to cost and lose, how the solver did, and the uniform baselines for comparison. Stored with each build and
 * each rollout × class; shown on {@code GET /api/builds/{key}}, the rollout view and {@code GET
 * /api/models/{id}/plans}.
 *
 * @param hardwareClass the class planned for
 * @param devices devices of the class the budget was derived from (the smallest RAM / storage among them counts)
 * @param objective what was minimised, with its tie-breaks
 * @param lossMetric definition of the predicted loss
 * @param constraints every constraint handed to the planner
 * @param mode the resulting build mode ({@code FULL_INT8}, {@code FLOAT16} or {@code MIXED})
 * @param planHash the plan's content hash
 * @param predicted predictions for the chosen plan
 * @param precisionCounts number of layers per precision key
 * @param solverStatus OPTIMAL (proven), FEASIBLE (time limit hit) or EVALUATED (a uniform baseline was preferred)
 * @param solverWallTimeSeconds CP-SAT time summed over the lexicographic stages
 * @param baselines uniform plans (all int8, all float16, all float32) under the same constraints
 * @param notes decisions worth knowing (latency budget not applied, uniform plan preferred, ...)
 */
public record PlanExplanation(
    String hardwareClass,
    int devices,
    String objective,
    String lossMetric,
    List<Constraint> constraints,
    String mode,
    String planHash,
    Prediction predicted,
    Map<String, Integer> precisionCounts,
    String solverStatus,
    Double solverWallTimeSeconds,
    List<Baseline> baselines,
    List<String> notes) {

  /**
   * One constraint.
   *
   * @param name {@code allowedPrecisions}, {@code maxModelBytes}, {@code maxPredictedLoss}, {@code maxLatencyMicros}
   *     or {@code ties}
   * @param value the bound as applied
   * @param source where it came from: {@code hardware-class} capability or {@code rollout-slo}
   * @param detail how it was derived
   */
  public record Constraint(String name, String value, String source, String detail) {}

  /**
   * Predictions of a plan.
   *
   * @param sizeBytes predicted model size: fixed bytes + the chosen per-layer sizes
   * @param fixedBytes bytes that do not depend on the per-layer choice
   * @param latencyMicros summed per-layer latencies measured on the worker host (null if not measured)
   * @param latencyHost the worker host the latencies were measured on (not the device)
   * @param predictedLoss Σ per layer (1 − agreement), an additive upper-bound estimate of the top-1 agreement drop
   */
  public record Prediction(long sizeBytes, long fixedBytes, Double latencyMicros, String latencyHost,
      double predictedLoss) {}

  /**
   * A uniform plan for comparison.
   *
   * @param precision precision key of every layer
   * @param mode the build mode it maps to
   * @param allowed whether the hardware class executes this precision
   * @param meetsConstraints whether it meets every constraint (allowed, size, loss, latency)
   * @param violations which constraints it breaks
   */
  public record Baseline(String precision, String mode, long sizeBytes, Double latencyMicros, double predictedLoss,
      boolean allowed, boolean meetsConstraints, List<String> violations) {}
}
