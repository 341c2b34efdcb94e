package io.edgefleet.controlplane.rollouts.gates;

/** An SLO gate on the fleet telemetry of one rollout group and build. */
public enum Gate {
  /** agreementWithFloat (Σagreement/Σreference) must be ≥ 1 − maxAccuracyDrop; samples = Σreference. */
  ACCURACY,
  /** p95 of the merged latency histograms (µs) must be ≤ the bound; samples = Σinferences. */
  P95_LATENCY,
  /** Σerrors/Σinferences must be ≤ the bound; samples = Σinferences. */
  FAILURE_RATE
}
