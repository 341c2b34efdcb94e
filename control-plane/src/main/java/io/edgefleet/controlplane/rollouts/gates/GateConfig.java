package io.edgefleet.controlplane.rollouts.gates;

/**
 * SLO gates of a rollout, applied to every group and build; a null bound disables that gate.
 *
 * @param maxAccuracyDrop agreement with the float model must be ≥ 1 − this (0..1)
 * @param maxP95LatencyMicros p95 latency bound in µs
 * @param maxFailureRate bound on failed inferences / inferences (0..1)
 * @param minSamples samples a gate needs before it is evaluated (≥ 1)
 */
public record GateConfig(Double maxAccuracyDrop, Double maxP95LatencyMicros, Double maxFailureRate, long minSamples) {
  public GateConfig {
    if (minSamples < 1) {
      throw new IllegalArgumentException("minSamples must be >= 1, got " + minSamples);
    }
  }

  public static GateConfig none() {
    return new GateConfig(null, null, null, 1);
  }

  public boolean any() {
    return maxAccuracyDrop != null || maxP95LatencyMicros != null || maxFailureRate != null;
  }
}
