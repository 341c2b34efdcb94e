package io.edgefleet.controlplane.rollouts;

/**
 * Lifecycle of a rollout: CREATED → RUNNING ⇄ PAUSED → FINISHED; STOPPED (cancelled by the operator) and
 * ROLLED_BACK (a gate breach with action ROLLBACK) are the other terminal states.
 */
public enum RolloutStatus {
  CREATED,
  RUNNING,
  PAUSED,
  FINISHED,
  STOPPED,
  ROLLED_BACK;

  /** True while the rollout can still change devices (created, running or paused). */
  public boolean isActive() {
    return this == CREATED || this == RUNNING || this == PAUSED;
  }
}
