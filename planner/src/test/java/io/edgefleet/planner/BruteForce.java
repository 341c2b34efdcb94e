package io.edgefleet.planner;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Exhaustive reference solver for small instances: enumerates every assignment, no shared code with the planner. */
final class BruteForce {
    private BruteForce() {
    }

    /** All assignments respecting allowed precisions, available data, ties and budgets. */
    static List<Plan> feasiblePlans(List<LayerProfile> layers, PlanConstraints constraints, boolean needLatency) {
        List<Plan> plans = new ArrayList<>();
        enumerate(layers, 0, new HashMap<>(), constraints, needLatency, plans);
        return plans;
    }

    /** The lexicographic optimum (loss, then size, then latency), compared with a tolerance on doubles. */
    static Optional<Plan> best(List<LayerProfile> layers, PlanConstraints constraints, double tolerance) {
        Plan best = null;
        for (Plan plan : feasiblePlans(layers, constraints, constraints.maxLatencyMicros() != null)) {
            if (best == null || lexLess(plan, best, tolerance)) {
                best = plan;
            }
        }
        return Optional.ofNullable(best);
    }

    static boolean lexLess(Plan a, Plan b, double tolerance) {
        if (Math.abs(a.predictedLoss() - b.predictedLoss()) > tolerance) {
            return a.predictedLoss() < b.predictedLoss();
        }
        if (a.predictedSizeBytes() != b.predictedSizeBytes()) {
            return a.predictedSizeBytes() < b.predictedSizeBytes();
        }
        if (a.latencyKnown() && b.latencyKnown() && Math.abs(a.predictedLatencyMicros() - b.predictedLatencyMicros())
                > tolerance) {
            return a.predictedLatencyMicros() < b.predictedLatencyMicros();
        }
        return false;
    }

    private static void enumerate(List<LayerProfile> layers, int index, Map<String, Precision> partial,
            PlanConstraints constraints, boolean needLatency, List<Plan> out) {
        if (index == layers.size()) {
            for (Set<String> tie : constraints.ties()) {
                if (tie.stream().map(partial::get).distinct().count() > 1) {
                    return;
                }
            }
            Plan plan = PlanEvaluator.evaluate(layers, partial);
            if (constraints.maxSizeBytes() != null && plan.predictedSizeBytes() > constraints.maxSizeBytes()) {
                return;
            }
            if (constraints.maxLatencyMicros() != null
                    && plan.predictedLatencyMicros() > constraints.maxLatencyMicros() + 1e-9) {
                return;
            }
            if (constraints.maxPredictedLoss() != null
                    && plan.predictedLoss() > constraints.maxPredictedLoss() + 1e-9) {
                return;
            }
            out.add(plan);
            return;
        }
        LayerProfile layer = layers.get(index);
        for (Precision precision : Precision.values()) {
            boolean usable = constraints.allowedFor(layer.opType()).contains(precision)
                    && layer.sensitivity().containsKey(precision) && layer.sizeBytes().containsKey(precision)
                    && (!needLatency || layer.latencyMicros().containsKey(precision));
            if (usable) {
                partial.put(layer.layerId(), precision);
                enumerate(layers, index + 1, partial, constraints, needLatency, out);
                partial.remove(layer.layerId());
            }
        }
    }
}
