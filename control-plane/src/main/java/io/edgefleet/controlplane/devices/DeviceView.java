package io.edgefleet.controlplane.devices;

import io.edgefleet.schemas.api.HardwareProfile;
import java.time.Instant;
import java.util.Map;

/**
 * A device as the API shows it.
 *
 * @param currentBuildKey build of the device's desired state (null when nothing is assigned)
 * @param rolloutStatus status of the device in its latest rollout (null if it was never targeted)
 * @param connectivity {@code ONLINE} (heard from within {@code edgefleet.devices.overdue-after}), {@code OVERDUE}
 *     (silent for longer: offline, broken or unable to reach the control plane) or {@code NEVER_SEEN}
 */
public record DeviceView(
    String id,
    String name,
    String hardwareClass,
    HardwareProfile hardware,
    String agentVersion,
    Map<String, String> attributes,
    Instant registeredAt,
    Instant lastSeenAt,
    Long desiredRevision,
    String currentBuildKey,
    String currentRolloutId,
    String rolloutStatus,
    String connectivity) {}
