package io.edgefleet.schemas.events;

import java.time.Instant;
import java.util.Objects;

/**
 * A request to build a quantized model. Type {@code fleet.build.requested.v1}, topic
 * {@link io.edgefleet.schemas.Topics#BUILD_REQUESTS}.
 *
 * @param buildKey sha256(modelSha256 + ":" + plan.planHash)
 * @param modelId registry id of the model version
 * @param modelSha256 sha256 of the float .tflite
 * @param modelObjectKey object-storage key of the float .tflite
 * @param calibrationObjectKey object-storage key of the calibration sample set (.efs)
 * @param evalObjectKey object-storage key of the labelled evaluation set (.efs), may be null
 * @param plan what to build
 * @param requestedAt when the control plane asked
 */
public record BuildRequested(
    String buildKey,
    String modelId,
    String modelSha256,
    String modelObjectKey,
    String calibrationObjectKey,
    String evalObjectKey,
    QuantizationPlan plan,
    Instant requestedAt)
    implements BuildEvent {

  public BuildRequested {
    Objects.requireNonNull(buildKey, "buildKey");
    Objects.requireNonNull(modelSha256, "modelSha256");
    Objects.requireNonNull(modelObjectKey, "modelObjectKey");
    Objects.requireNonNull(calibrationObjectKey, "calibrationObjectKey");
    Objects.requireNonNull(plan, "plan");
  }
}
