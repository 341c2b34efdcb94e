package io.edgefleet.planner;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Uniform-precision baselines: every layer at one precision, the comparison point for mixed plans. */
public final class UniformBaseline {
    private UniformBaseline() {
    }

    /** All layers at {@code precision}; fails with {@code INVALID_INPUT} if a layer lacks data for it. */
    public static Plan plan(List<LayerProfile> layers, Precision precision) {
        Map<String, Precision> assignment = new LinkedHashMap<>();
        layers.forEach(layer -> assignment.put(layer.layerId(), precision));
        return PlanEvaluator.evaluate(layers, assignment);
    }

    /** Uniform plans for every precision that all layers have a sensitivity and a size for, in enum order. */
    public static Map<Precision, Plan> all(List<LayerProfile> layers) {
        Map<Precision, Plan> plans = new EnumMap<>(Precision.class);
        for (Precision precision : Precision.values()) {
            boolean covered = !layers.isEmpty() && layers.stream().allMatch(layer ->
                    layer.sensitivity().containsKey(precision) && layer.sizeBytes().containsKey(precision));
            if (covered) {
                plans.put(precision, plan(layers, precision));
            }
        }
        return plans;
    }
}
