package io.edgefleet.controlplane.builds;

import io.edgefleet.controlplane.profiles.PlanExplanation;
import io.edgefleet.schemas.events.BuildMetrics;
import io.edgefleet.schemas.events.QuantizationPlan;
import java.time.Instant;

/**
 * A build as the API shows it.
 *
 * @param explanation why the plan was chosen (objective, constraints and their origin, predictions, solver status,
 *     uniform baselines) as planned for the first rollout that requested this build; null for adopted builds
 */
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
    String failureMessage,
    PlanExplanation explanation) {}
