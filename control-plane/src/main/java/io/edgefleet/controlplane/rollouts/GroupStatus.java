package io.edgefleet.controlplane.rollouts;

/** Lifecycle of one rollout group. */
public enum GroupStatus {
  /** Not started: its devices are not assigned yet. */
  PENDING,
  RUNNING,
  /** Success condition met (and gates passed); the next group may start. */
  COMPLETED,
  /** The rollout ended (stopped or rolled back) before the group completed. */
  CANCELLED
}
