package io.edgefleet.planner;

import java.util.TreeMap;
import java.util.List;
import java.util.Map;

/** Computes the predicted cost of a given assignment (no solving): used for baselines and for comparing plans. */
public final class PlanEvaluator {
    private PlanEvaluator() {
    }

    /**
     * Evaluates {@code assignment} over {@code layers}.
     *
     * @throws PlannerException {@code INVALID_INPUT} if the assignment does not cover exactly the given layers or a
     *     chosen precision has no sensitivity or size in the layer's profile
     */
    public static Plan evaluate(List<LayerProfile> layers, Map<String, Precision> assignment) {
        Map<String, LayerProfile> byId = new TreeMap<>();
        for (LayerProfile layer : layers) {
            if (byId.put(layer.layerId(), layer) != null) {
                throw new PlannerException(PlannerErrorCode.INVALID_INPUT, "duplicate layer id " + layer.layerId());
            }
        }
        for (String layerId : assignment.keySet()) {
            if (!byId.containsKey(layerId)) {
                throw new PlannerException(PlannerErrorCode.INVALID_INPUT,
                        "assignment names unknown layer '" + layerId + "'");
            }
        }
        double loss = 0;
        long size = 0;
        double latency = 0;
        // summed in layer-id order so the totals do not depend on the input order
        for (LayerProfile layer : byId.values()) {
            Precision precision = assignment.get(layer.layerId());
            if (precision == null) {
                throw new PlannerException(PlannerErrorCode.INVALID_INPUT,
                        "assignment has no precision for layer '" + layer.layerId() + "'");
            }
            Double sensitivity = layer.sensitivity().get(precision);
            Long bytes = layer.sizeBytes().get(precision);
            if (sensitivity == null || bytes == null) {
                throw new PlannerException(PlannerErrorCode.INVALID_INPUT, "layer '" + layer.layerId()
                        + "' has no " + (sensitivity == null ? "sensitivity" : "size") + " for " + precision.key());
            }
            loss += sensitivity;
            size = Math.addExact(size, bytes);
            Double micros = layer.latencyMicros().get(precision);
            latency = micros == null ? Double.NaN : latency + micros;
        }
        return new Plan(assignment, loss, size, latency, PlanHash.of(assignment),
                SolverStats.evaluated(byId.size()));
    }
}
