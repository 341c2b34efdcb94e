package io.edgefleet.simulator.fleet;

import java.time.Instant;

/**
 * A snapshot of the simulated fleet's counters.
 *
 * @param devices simulated devices created
 * @param registered devices whose registration the control plane accepted
 * @param assigned devices that received an assignment with a build
 * @param running devices whose RUNNING feedback for their current build Kafka acknowledged
 * @param failed devices that reported FAILED for their current build
 * @param registrationErrors failed registration attempts (retried)
 * @param polls assignment polls answered
 * @param notModified of those, 304 answers
 * @param httpErrors control plane requests that failed (network, timeouts, unexpected status)
 * @param deferred device actions postponed because the in-flight request bound was reached
 * @param feedbackSent feedback events acknowledged by Kafka
 * @param telemetrySent telemetry batches acknowledged by Kafka
 * @param kafkaErrors events Kafka did not acknowledge
 * @param downloadsVerified artifacts really downloaded and verified (size + sha256)
 * @param lastRegisteredAt when the last device registered (null if none)
 * @param firstAssignedAt when the first device received a build assignment (the first build of the rollout is done)
 * @param lastAssignedAt when the last device received its build assignment
 * @param lastRunningAt when the last RUNNING feedback was acknowledged
 */
public record FleetStats(
    int devices,
    int registered,
    int assigned,
    int running,
    int failed,
    long registrationErrors,
    long polls,
    long notModified,
    long httpErrors,
    long deferred,
    long feedbackSent,
    long telemetrySent,
    long kafkaErrors,
    long downloadsVerified,
    Instant lastRegisteredAt,
    Instant firstAssignedAt,
    Instant lastAssignedAt,
    Instant lastRunningAt) {}
