package io.edgefleet.controlplane.telemetry;

import io.edgefleet.controlplane.builds.BuildStatus;

/**
 * One row of {@code GET /api/telemetry/summary}: a build, how it compares with its float model on the worker, and
 * what the fleet measured.
 */
public record BuildSummary(
    String buildKey,
    String modelId,
    String modelName,
    String mode,
    BuildStatus status,
    Long floatSizeBytes,
    Long quantizedSizeBytes,
    Double floatTop1,
    Double quantizedTop1,
    Double workerAgreementWithFloat,
    Double floatP50LatencyMicros,
    Double workerP50LatencyMicros,
    TelemetryAggregate fleet) {}
