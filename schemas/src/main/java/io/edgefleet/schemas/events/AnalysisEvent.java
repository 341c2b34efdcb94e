package io.edgefleet.schemas.events;

/**
 * Model analysis lifecycle: requested by the control plane when a model version is registered, completed (with the
 * per-layer sensitivity, size and latency table the planner needs) or failed by a quantizer worker.
 *
 * <p>Key: the model's sha256. Analysis depends only on the model content and the calibration/evaluation sets of the
 * request, so the same key means the same analysis: workers may answer a repeated request from a stored result.
 */
public sealed interface AnalysisEvent extends FleetEvent
    permits AnalysisRequested, AnalysisCompleted, AnalysisFailed {

  /** sha256 of the float .tflite, hex. */
  String modelSha256();

  @Override
  default String key() {
    return modelSha256();
  }
}
