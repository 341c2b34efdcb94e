package io.edgefleet.agent;

import io.edgefleet.schemas.events.FeedbackStatus;

/**
 * A snapshot of what an agent is doing (for the launcher, the demo and tests).
 *
 * @param registered whether the control plane accepted the registration
 * @param activeBuildKey the build being served, null when none
 * @param lastFeedback the last feedback status published, null before any
 * @param lastFailure the reason of the last failed install or rejected request, null when none
 * @param inferences measured inferences since start (warm-up excluded)
 * @param inferenceErrors failed or non-finite inferences since start
 * @param telemetryBatches InferenceTelemetry batches emitted since start
 * @param eventsDelivered records acknowledged by Kafka since start
 * @param spoolDropped events dropped by the spool bound since start
 * @param kafkaError the current Kafka delivery problem, null when delivering
 */
public record AgentStatus(
    String deviceId,
    boolean registered,
    String hardwareClass,
    String activeBuildKey,
    FeedbackStatus lastFeedback,
    String lastFailure,
    long inferences,
    long inferenceErrors,
    long telemetryBatches,
    long eventsDelivered,
    long spoolDropped,
    String kafkaError) {}
