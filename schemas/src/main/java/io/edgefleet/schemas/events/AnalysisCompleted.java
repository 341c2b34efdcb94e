package io.edgefleet.schemas.events;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The measured analysis of a float model. Type {@code fleet.analysis.completed.v1}, topic
 * {@link io.edgefleet.schemas.Topics#ANALYSIS_RESULTS}.
 *
 * <p>Everything the planner needs to choose one precision per layer: for every decision layer and every precision
 * the layer can be built with, the measured sensitivity (only that layer quantized, the rest float), the bytes it
 * contributes to the built model and its latency on the worker host.
 *
 * @param modelId registry id of the model version
 * @param modelSha256 sha256 of the float .tflite
 * @param workerId the worker that measured it
 * @param floatSizeBytes size of the float model file
 * @param fixedBytes bytes of the built model that do not depend on the per-layer choice (graph, non-decision tensors)
 * @param sensitivitySamples number of samples the sensitivities were measured on
 * @param latencyHost description of the host and thread count the latencies were measured with
 * @param layers decision layers in graph order
 * @param durationMillis wall time of the analysis
 * @param completedAt when it finished
 */
public record AnalysisCompleted(
    String modelId,
    String modelSha256,
    String workerId,
    long floatSizeBytes,
    long fixedBytes,
    int sensitivitySamples,
    String latencyHost,
    List<LayerAnalysis> layers,
    long durationMillis,
    Instant completedAt)
    implements AnalysisEvent {

  public AnalysisCompleted {
    Objects.requireNonNull(modelSha256, "modelSha256");
    layers = layers == null ? List.of() : List.copyOf(layers);
  }
}
