package io.edgefleet.schemas.events;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What to build: a uniform mode (e.g. {@code FULL_INT8}, {@code FLOAT16}) or {@code MIXED} with a per-layer precision
 * for every layer id. {@code planHash} identifies the plan content.
 *
 * @param mode quantization mode name as understood by the quantizer ({@code FLOAT16, DYNAMIC_RANGE_INT8, FULL_INT8,
 *     FULL_INT8_INT8_IO, INT16X8, INT4_WEIGHTS, MIXED})
 * @param layerPrecisions for MIXED: {@link LayerAnalysis#layerId()} ({@code <index>:<OP>}) to precision key ({@code float32,
 *     float16, int8, int16x8, int4-weights, dynamic-int8}) for every decision layer; empty for uniform modes
 * @param planHash content hash of the plan (hex)
 * @param rationale human-readable reason this plan was chosen
 */
public record QuantizationPlan(String mode, Map<String, String> layerPrecisions, String planHash, String rationale) {

  public QuantizationPlan {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(planHash, "planHash");
    layerPrecisions = layerPrecisions == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(layerPrecisions));
  }
}
