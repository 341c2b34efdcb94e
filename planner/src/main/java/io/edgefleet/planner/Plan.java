package io.edgefleet.planner;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A per-layer precision assignment with its predicted cost.
 *
 * @param assignment layer id → precision, sorted by layer id
 * @param predictedLoss sum of the chosen sensitivities (additive model)
 * @param predictedSizeBytes sum of the chosen layer sizes
 * @param predictedLatencyMicros sum of the chosen layer latencies, {@code NaN} if a chosen latency is unknown
 * @param planHash lower-case hex sha256 of {@link PlanHash#canonical(Map)} of the assignment
 * @param stats how the plan was obtained
 */
public record Plan(
        Map<String, Precision> assignment,
        double predictedLoss,
        long predictedSizeBytes,
        double predictedLatencyMicros,
        String planHash,
        SolverStats stats) {

    public Plan {
        assignment = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(assignment, "assignment")));
        Objects.requireNonNull(planHash, "planHash");
        Objects.requireNonNull(stats, "stats");
    }

    /** True when every chosen precision had a latency, i.e. {@link #predictedLatencyMicros()} is a number. */
    public boolean latencyKnown() {
        return !Double.isNaN(predictedLatencyMicros);
    }

    public Precision precisionOf(String layerId) {
        Precision precision = assignment.get(layerId);
        if (precision == null) {
            throw new PlannerException(PlannerErrorCode.INVALID_INPUT, "plan has no layer '" + layerId + "'");
        }
        return precision;
    }

    /** Cost of this plan on one metric ({@link BudgetKind#SIZE} as a double). */
    public double cost(BudgetKind kind) {
        return switch (kind) {
            case SIZE -> predictedSizeBytes;
            case LATENCY -> predictedLatencyMicros;
            case PREDICTED_LOSS -> predictedLoss;
        };
    }
}
