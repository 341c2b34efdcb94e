package io.edgefleet.telemetry.api;

import java.util.List;

/** One build within a rollout: the sum of its windows in the range, and the windows. */
public record RolloutBuild(String buildKey, AggregateSnapshot total, List<WindowPoint> windows) {
  public RolloutBuild {
    windows = List.copyOf(windows);
  }
}
