package io.edgefleet.telemetry.api;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /aggregates/rollouts/{rolloutId}}: per (rolloutId, buildKey) windows whose start lies in [from, to], and
 * their merge over all builds of the rollout ({@code total}).
 */
public record RolloutAggregates(
    String rolloutId, Instant from, Instant to, long windowSizeMillis, AggregateSnapshot total, List<RolloutBuild> builds) {
  public RolloutAggregates {
    builds = List.copyOf(builds);
  }
}
