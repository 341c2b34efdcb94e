package io.edgefleet.planner;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the planner knows about one decision layer.
 *
 * <p>A precision is a candidate for this layer only if the profile has both a sensitivity and a size for it (and a
 * latency when latency matters to the plan). Maps are copied defensively; missing entries mean "not measured".
 *
 * @param layerId unique id of the layer in the model (e.g. the op index or output tensor name)
 * @param opType TFLite builtin op name, e.g. {@code CONV_2D}; used by per-op allowed-precision rules
 * @param paramCount number of weight parameters
 * @param macs multiply-accumulates per inference
 * @param sensitivity measured predicted loss when only this layer uses the precision (accuracy drop, output KL, ...);
 *     assumed additive across layers; may be negative (a measured improvement)
 * @param sizeBytes bytes this layer contributes to the built model at each precision
 * @param latencyMicros per-inference latency of this layer at each precision; may be empty
 */
public record LayerProfile(
        String layerId,
        String opType,
        long paramCount,
        long macs,
        Map<Precision, Double> sensitivity,
        Map<Precision, Long> sizeBytes,
        Map<Precision, Double> latencyMicros) {

    public LayerProfile {
        Objects.requireNonNull(layerId, "layerId");
        Objects.requireNonNull(opType, "opType");
        if (layerId.isBlank()) {
            throw new PlannerException(PlannerErrorCode.INVALID_INPUT, "layer id must not be blank");
        }
        if (paramCount < 0 || macs < 0) {
            throw new PlannerException(PlannerErrorCode.INVALID_INPUT,
                    "layer " + layerId + ": paramCount and macs must be >= 0");
        }
        sensitivity = copy(layerId, "sensitivity", sensitivity, false);
        sizeBytes = copySizes(layerId, sizeBytes);
        latencyMicros = copy(layerId, "latency", latencyMicros == null ? Map.of() : latencyMicros, true);
    }

    /** Returns a copy of this profile with its latencies replaced by {@code latencies}. */
    public LayerProfile withLatencyMicros(Map<Precision, Double> latencies) {
        return new LayerProfile(layerId, opType, paramCount, macs, sensitivity, sizeBytes, latencies);
    }

    private static Map<Precision, Double> copy(
            String layerId, String what, Map<Precision, Double> values, boolean nonNegative) {
        Objects.requireNonNull(values, what);
        EnumMap<Precision, Double> copy = new EnumMap<>(Precision.class);
        values.forEach((precision, value) -> {
            Objects.requireNonNull(precision, what + " precision");
            if (value == null || !Double.isFinite(value) || (nonNegative && value < 0)) {
                throw new PlannerException(PlannerErrorCode.INVALID_INPUT, "layer " + layerId + ": " + what + " for "
                        + precision.key() + " must be a finite" + (nonNegative ? ", non-negative" : "")
                        + " number, was " + value);
            }
            copy.put(precision, value);
        });
        return Collections.unmodifiableMap(copy);
    }

    private static Map<Precision, Long> copySizes(String layerId, Map<Precision, Long> values) {
        Objects.requireNonNull(values, "sizeBytes");
        EnumMap<Precision, Long> copy = new EnumMap<>(Precision.class);
        values.forEach((precision, value) -> {
            Objects.requireNonNull(precision, "size precision");
            if (value == null || value < 0) {
                throw new PlannerException(PlannerErrorCode.INVALID_INPUT,
                        "layer " + layerId + ": size for " + precision.key() + " must be >= 0, was " + value);
            }
            copy.put(precision, value);
        });
        return Collections.unmodifiableMap(copy);
    }
}
