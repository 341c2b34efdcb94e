package io.edgefleet.controlplane.rollouts;

import io.edgefleet.controlplane.devices.DeviceFilter;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A rollout with its per-device status and counts. */
public record RolloutView(
    String id,
    String name,
    String modelId,
    DeviceFilter deviceFilter,
    double maxAccuracyDrop,
    RolloutStatus status,
    Instant createdAt,
    Instant finishedAt,
    Map<DeviceRolloutStatus, Integer> counts,
    int total,
    int succeeded,
    int failed,
    List<ClassPlan> classes,
    List<DeviceEntry> devices) {

  /** The plan and build chosen for one hardware class. */
  public record ClassPlan(String hardwareClass, String mode, String buildKey, int devices) {}

  /** One targeted device. */
  public record DeviceEntry(String deviceId, String hardwareClass, String buildKey, DeviceRolloutStatus status,
      String reason, Long revision, Instant updatedAt) {}
}
