package io.edgefleet.controlplane.profiles;

import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/models/{id}/pareto}: predicted loss versus size or worker-host latency for one hardware class.
 *
 * @param axis {@code size} or {@code latency}
 * @param hardwareRationale how the class's allowed precisions and size budget were derived
 * @param maxModelBytes the class's model size budget
 * @param fixedBytes bytes of every build independent of the per-layer choice (included in every size)
 * @param latencyHost the worker host latencies were measured on
 * @param lowCost cost of the all-cheapest plan on the axis
 * @param highCost cost of the all-most-expensive plan on the axis
 * @param points non-dominated plans, cost increasing, loss decreasing
 * @param skippedBudgets swept budgets no plan met (under the class's other constraints)
 */
public record ParetoView(String modelId, String hardwareClass, String axis, String hardwareRationale,
    long maxModelBytes, long fixedBytes, String latencyHost, double lowCost, double highCost, List<Point> points,
    int skippedBudgets) {

  /**
   * One frontier point.
   *
   * @param budget the swept budget (model bytes on the size axis, µs on the latency axis)
   * @param latencyMicros summed worker-host latency, null when not measured for every chosen precision
   * @param withinDeviceBudget whether the plan fits the class's model size budget
   * @param layerPrecisions layerId → precision key
   */
  public record Point(double fraction, double budget, double predictedLoss, long sizeBytes, Double latencyMicros,
      boolean withinDeviceBudget, String mode, String planHash, Map<String, String> layerPrecisions) {}
}
