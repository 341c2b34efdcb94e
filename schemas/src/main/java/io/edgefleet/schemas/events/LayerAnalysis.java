package io.edgefleet.schemas.events;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One decision layer of an analysed model.
 *
 * @param layerId stable id {@code <operator index>:<OP>} (e.g. {@code 3:CONV_2D}); the keys of a MIXED
 *     {@link QuantizationPlan#layerPrecisions()} map
 * @param opType TFLite builtin operator name
 * @param paramCount number of weight parameters
 * @param macs multiply-accumulates per inference
 * @param tieGroup layers with the same non-null tie group must use the same precision; null when free
 * @param options precision key ({@code float32, float16, int8, int16x8, int4-weights, dynamic-int8}) to what the
 *     layer costs and loses at that precision; only precisions the layer can be built with are present
 */
public record LayerAnalysis(
    String layerId, String opType, long paramCount, long macs, String tieGroup, Map<String, PrecisionOption> options) {

  public LayerAnalysis {
    Objects.requireNonNull(layerId, "layerId");
    Objects.requireNonNull(opType, "opType");
    options = options == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(options));
  }

  /**
   * Measured cost and loss of one layer at one precision.
   *
   * @param sizeBytes bytes the layer contributes to the built model
   * @param latencyMicros per-inference latency of the layer on the worker host; negative when not measured
   * @param agreement top-1 agreement with the float model when only this layer uses the precision (1.0 = identical)
   * @param outputMse mean squared error of the model output (logits/probabilities) against float
   * @param outputKl mean KL divergence of the output distribution from float's
   * @param weightProxy data-free proxy ‖W − Q(W)‖² of the layer's weights; negative when not applicable
   */
  public record PrecisionOption(
      long sizeBytes, double latencyMicros, double agreement, double outputMse, double outputKl, double weightProxy) {}
}
