package io.edgefleet.controlplane.profiles;

/**
 * The rollout SLOs the planner turns into constraints.
 *
 * @param maxAccuracyDrop bound on the predicted loss Σ per layer (1 − agreement): the rollout's {@code maxAccuracyDrop}
 * @param maxP95LatencyMicros the rollout's p95 latency gate, if any: a budget on the summed per-layer latencies the
 *     workers measured on their host (null = no latency budget)
 */
public record Slo(double maxAccuracyDrop, Double maxP95LatencyMicros) {
  public Slo {
    if (!(maxAccuracyDrop >= 0 && maxAccuracyDrop <= 1)) {
      throw new IllegalArgumentException("maxAccuracyDrop must be in [0, 1], was " + maxAccuracyDrop);
    }
    if (maxP95LatencyMicros != null && !(maxP95LatencyMicros > 0)) {
      throw new IllegalArgumentException("maxP95LatencyMicros must be > 0, was " + maxP95LatencyMicros);
    }
  }
}
