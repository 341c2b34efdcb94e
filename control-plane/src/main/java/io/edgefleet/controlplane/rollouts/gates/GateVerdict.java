package io.edgefleet.controlplane.rollouts.gates;

/** Outcome of one gate evaluation. */
public enum GateVerdict {
  PASS,
  FAIL,
  /** Fewer samples than the gate's minimum (or none at all): not evaluated yet. */
  PENDING
}
