package io.edgefleet.controlplane.rollouts;

import java.util.Map;

/**
 * Counts of targeted devices by status.
 *
 * @param total targeted devices
 * @param terminal devices done with the rollout (running, failed, rolled back, superseded)
 * @param succeeded devices running the new build
 * @param failed devices that failed or rolled back
 */
public record RolloutProgress(Map<DeviceRolloutStatus, Integer> counts, int total, int terminal, int succeeded,
    int failed) {
  public RolloutProgress {
    counts = Map.copyOf(counts);
  }

  public boolean allTerminal() {
    return total > 0 && terminal == total;
  }
}
