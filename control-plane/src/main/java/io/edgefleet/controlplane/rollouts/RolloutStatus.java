package io.edgefleet.controlplane.rollouts;

/** Lifecycle of a rollout (the skeleton has no pause/stop yet). */
public enum RolloutStatus {
  RUNNING,
  FINISHED
}
