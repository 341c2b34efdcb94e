package io.edgefleet.agent.health;

import java.util.Objects;

/** Outcome of one {@link HealthPolicy#judge} call. */
public sealed interface HealthVerdict permits HealthVerdict.Pending, HealthVerdict.Healthy, HealthVerdict.Unhealthy {

  /** The window is still open and nothing is wrong yet. */
  enum Pending implements HealthVerdict {
    INSTANCE
  }

  /** The window closed with the failure rate within bounds. */
  record Healthy(long attempts, long failures) implements HealthVerdict {}

  /** The build must be rolled back; {@code reason} says why. */
  record Unhealthy(String reason) implements HealthVerdict {
    public Unhealthy {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
