package io.edgefleet.controlplane.rollouts;

/** What a rollout does when a group breaches its error threshold or an SLO gate fails. */
public enum BreachAction {
  /** Stop assigning new devices; the operator resumes, retries or stops. */
  PAUSE,
  /** Give every device of the rollout its previous build back (or clear its assignment) and end the rollout. */
  ROLLBACK
}
