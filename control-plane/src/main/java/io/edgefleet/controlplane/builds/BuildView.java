package io.edgefleet.controlplane.builds;

import io.edgefleet.schemas.events.BuildMetrics;
import io.edgefleet.schemas.events.QuantizationPlan;
import java.time.Instant;

/** A build as the API shows it. */
public record BuildView(
    String buildKey,
    String modelId,
    String modelSha256,
    String planHash,
    String mode,
    QuantizationPlan plan,
    BuildStatus status,
    Instant requestedAt,
    Instant finishedAt,
    String artifactObjectKey,
    String artifactSha256,
    Long sizeBytes,
    String signature,
    String signingKeyId,
    String referenceOutputsObjectKey,
    BuildMetrics metrics,
    String workerId,
    Long durationMillis,
    String failureCode,
    String failureMessage) {}
