package io.edgefleet.controlplane.analysis;

import io.edgefleet.schemas.events.LayerAnalysis;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A READY analysis as the planner consumes it.
 *
 * @param fixedBytes bytes of every build that do not depend on the per-layer choice
 * @param latencyHost host (and threads) the per-layer latencies were measured on; they are worker-host latencies
 * @param layers decision layers in graph order
 */
public record AnalysisData(
    String modelId,
    String modelSha256,
    String workerId,
    long floatSizeBytes,
    long fixedBytes,
    int sensitivitySamples,
    String latencyHost,
    long durationMillis,
    Instant completedAt,
    List<LayerAnalysis> layers) {

  public AnalysisData {
    Objects.requireNonNull(modelId, "modelId");
    layers = List.copyOf(layers);
  }
}
