package io.edgefleet.quantizer.mixed;

import io.edgefleet.planner.Plan;
import io.edgefleet.quantization.quantize.LayerPrecision;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A solved per-layer plan ready for the quantizer.
 *
 * @param plan the planner's plan (layer ids {@code <index>:<OP>})
 * @param layerPrecisions operator index → precision, every operator listed
 * @param predictedModelBytes fixed bytes + chosen layer sizes
 * @param predictedLoss additive predicted loss under {@code metric}
 * @param metric the sensitivity metric used
 * @param request the request that produced it
 */
public record MixedPlan(Plan plan, Map<Integer, LayerPrecision> layerPrecisions, long predictedModelBytes,
        double predictedLoss, SensitivityMetric metric, PlanRequest request) {

    public MixedPlan {
        layerPrecisions = Collections.unmodifiableSortedMap(new TreeMap<>(layerPrecisions));
    }

    /** Predicted latency (µs) from the latency table; NaN if unknown. */
    public double predictedLatencyMicros() {
        return plan.predictedLatencyMicros();
    }
}
