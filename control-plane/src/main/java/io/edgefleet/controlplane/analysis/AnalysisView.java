package io.edgefleet.controlplane.analysis;

import io.edgefleet.controlplane.models.AnalysisStatus;
import io.edgefleet.controlplane.models.ModelView;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/models/{id}/analysis}: the measured per-layer table of a READY analysis.
 *
 * @param latencyHost the worker host the latencies were measured on (worker-host latencies, not device latencies)
 * @param layers decision layers in graph order
 */
public record AnalysisView(
    String modelId,
    String modelSha256,
    AnalysisStatus status,
    Instant requestedAt,
    Instant updatedAt,
    ModelView.AnalysisError error,
    String workerId,
    long floatSizeBytes,
    long fixedBytes,
    int sensitivitySamples,
    String latencyHost,
    long durationMillis,
    Instant completedAt,
    List<Layer> layers) {

  /**
   * One decision layer.
   *
   * @param tieGroup layers with the same tie group share one precision (null = free)
   * @param precisions precision key → measured cost and loss
   */
  public record Layer(String layerId, String op, long params, long macs, String tieGroup,
      Map<String, Option> precisions) {}

  /**
   * One layer at one precision.
   *
   * @param latencyMicros worker-host latency, null when not measured
   * @param agreement top-1 agreement with float when only this layer uses the precision
   * @param loss 1 − agreement, the planner's per-layer predicted loss
   * @param weightProxy data-free ‖W − Q(W)‖², null when not applicable
   */
  public record Option(long sizeBytes, Double latencyMicros, double agreement, double loss, double mse, double kl,
      Double weightProxy) {}
}
