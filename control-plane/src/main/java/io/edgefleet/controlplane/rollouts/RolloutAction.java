package io.edgefleet.controlplane.rollouts;

/** What moved a rollout: an operator verb, a group boundary, or a gate/threshold breach. */
public enum RolloutAction {
  CREATE,
  START,
  PAUSE,
  RESUME,
  STOP,
  NEXT_GROUP,
  RETRY_FAILED,
  GROUP_COMPLETED,
  BREACH_PAUSE,
  BREACH_ROLLBACK,
  FINISH
}
