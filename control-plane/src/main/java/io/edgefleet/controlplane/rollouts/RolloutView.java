package io.edgefleet.controlplane.rollouts;

import io.edgefleet.controlplane.devices.DeviceFilter;
import io.edgefleet.controlplane.profiles.PlanExplanation;
import io.edgefleet.controlplane.rollouts.gates.Gate;
import io.edgefleet.controlplane.rollouts.gates.GateVerdict;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A rollout with its groups (devices, counts, gate evaluations), per-device status, counts and transition history.
 *
 * @param statusReason why the rollout is in its status (latest transition that changed it)
 * @param currentGroup index of the latest started group
 * @param gates SLO gates, null when none are configured
 */
public record RolloutView(
    String id,
    String name,
    String modelId,
    DeviceFilter deviceFilter,
    double maxAccuracyDrop,
    RolloutStatus status,
    String statusReason,
    Instant createdAt,
    Instant startAt,
    Instant updatedAt,
    Instant finishedAt,
    Map<DeviceRolloutStatus, Integer> counts,
    int total,
    int succeeded,
    int failed,
    List<ClassPlan> classes,
    List<DeviceEntry> devices,
    int currentGroup,
    BreachAction onBreach,
    boolean dynamic,
    GatesConfig gates,
    List<GroupEntry> groups,
    List<TransitionEntry> history) {

  /**
   * The plan and build chosen for one hardware class.
   *
   * @param explanation why this plan (objective, constraints and their origin, predictions, solver status, uniform
   *     baselines); null for rollouts planned before explanations existed
   */
  public record ClassPlan(String hardwareClass, String mode, String buildKey, int devices, String planHash,
      PlanExplanation explanation) {}

  /** One targeted device. */
  public record DeviceEntry(String deviceId, String hardwareClass, String buildKey, int group,
      DeviceRolloutStatus status, String reason, Long revision, Instant updatedAt) {}

  /** Configured SLO gates. */
  public record GatesConfig(Double maxAccuracyDrop, Double maxP95LatencyMicros, Double maxFailureRate,
      long minSamples) {}

  /** One group: its definition, status, devices, counts and latest gate evaluations. */
  public record GroupEntry(int index, String name, GroupStatus status, Double percent, Integer count,
      double successThreshold, double errorThreshold, Instant startedAt, Instant completedAt, int total,
      int succeeded, int failed, Map<DeviceRolloutStatus, Integer> counts, List<String> devices,
      List<GateEntry> gates) {}

  /** The latest evaluation of one gate on one build of the group. */
  public record GateEntry(Gate gate, String buildKey, Double value, double threshold, long samples, long minSamples,
      GateVerdict verdict, Instant evaluatedAt) {}

  /** One entry of the rollout's history. */
  public record TransitionEntry(Instant at, RolloutAction action, RolloutStatus from, RolloutStatus to,
      Integer group, String reason) {}
}
