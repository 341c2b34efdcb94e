package io.edgefleet.schemas.events;

import java.time.Instant;
import java.util.Objects;

/**
 * A request to analyse a float model: calibrate it, measure per-layer sensitivity for every precision option and
 * estimate per-layer size and latency. Type {@code fleet.analysis.requested.v1}, topic
 * {@link io.edgefleet.schemas.Topics#ANALYSIS_REQUESTS}.
 *
 * @param modelId registry id of the model version
 * @param modelSha256 sha256 of the float .tflite
 * @param modelObjectKey object-storage key of the float .tflite
 * @param calibrationObjectKey object-storage key of the calibration sample set (.efs)
 * @param evalObjectKey object-storage key of the labelled evaluation set (.efs), may be null
 * @param requestedAt when the control plane asked
 */
public record AnalysisRequested(
    String modelId,
    String modelSha256,
    String modelObjectKey,
    String calibrationObjectKey,
    String evalObjectKey,
    Instant requestedAt)
    implements AnalysisEvent {

  public AnalysisRequested {
    Objects.requireNonNull(modelSha256, "modelSha256");
    Objects.requireNonNull(modelObjectKey, "modelObjectKey");
    Objects.requireNonNull(calibrationObjectKey, "calibrationObjectKey");
  }
}
