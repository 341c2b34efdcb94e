package io.edgefleet.simulator.fleet;

import java.time.Instant;

/**
 * One rollout seen from the simulated devices.
 *
 * @param assigned devices whose current assignment belongs to the rollout
 * @param running of those, devices whose RUNNING feedback for it Kafka acknowledged
 * @param firstAssignedAt when the first of them received it (null if none)
 * @param lastAssignedAt when the last of them received it
 * @param lastRunningAt when the last RUNNING was acknowledged
 */
public record RolloutProgress(
    String rolloutId, int assigned, int running, Instant firstAssignedAt, Instant lastAssignedAt, Instant lastRunningAt) {}
