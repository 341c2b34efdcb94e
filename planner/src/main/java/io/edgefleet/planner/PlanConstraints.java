package io.edgefleet.planner;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Constraints on a plan. Budgets are optional ({@code null} = unbounded).
 *
 * @param maxSizeBytes upper bound on the summed layer sizes (storage / memory budget)
 * @param maxLatencyMicros upper bound on the summed layer latencies (needs latencies for every candidate)
 * @param maxPredictedLoss upper bound on the summed sensitivities
 * @param allowedPrecisionsByOp per TFLite op type, the precisions its kernels accept on the target; op types not
 *     listed are unrestricted by this map
 * @param allowedPrecisions precisions allowed for every layer; empty = all
 * @param ties groups of layer ids that must share one precision (e.g. residual branches feeding one ADD)
 */
public record PlanConstraints(
        Long maxSizeBytes,
        Double maxLatencyMicros,
        Double maxPredictedLoss,
        Map<String, Set<Precision>> allowedPrecisionsByOp,
        Set<Precision> allowedPrecisions,
        List<Set<String>> ties) {

    public PlanConstraints {
        if (maxSizeBytes != null && maxSizeBytes < 0) {
            throw invalid("maxSizeBytes must be >= 0, was " + maxSizeBytes);
        }
        if (maxLatencyMicros != null && (!Double.isFinite(maxLatencyMicros) || maxLatencyMicros < 0)) {
            throw invalid("maxLatencyMicros must be a finite number >= 0, was " + maxLatencyMicros);
        }
        if (maxPredictedLoss != null && !Double.isFinite(maxPredictedLoss)) {
            throw invalid("maxPredictedLoss must be finite, was " + maxPredictedLoss);
        }
        TreeMap<String, Set<Precision>> byOp = new TreeMap<>();
        if (allowedPrecisionsByOp != null) {
            allowedPrecisionsByOp.forEach((op, set) -> byOp.put(Objects.requireNonNull(op, "op type"),
                    Collections.unmodifiableSet(enumSet(set))));
        }
        allowedPrecisionsByOp = Collections.unmodifiableMap(byOp);
        allowedPrecisions = Collections.unmodifiableSet(enumSet(allowedPrecisions));
        List<Set<String>> tieCopy = new ArrayList<>();
        if (ties != null) {
            for (Set<String> tie : ties) {
                Objects.requireNonNull(tie, "tie");
                tie.forEach(id -> Objects.requireNonNull(id, "tied layer id"));
                tieCopy.add(Collections.unmodifiableSet(new LinkedHashSet<>(tie)));
            }
        }
        ties = List.copyOf(tieCopy);
    }

    /** No budgets, every precision allowed, no ties. */
    public static PlanConstraints unconstrained() {
        return new PlanConstraints(null, null, null, Map.of(), Set.of(), List.of());
    }

    public PlanConstraints withMaxSizeBytes(Long bytes) {
        return new PlanConstraints(bytes, maxLatencyMicros, maxPredictedLoss, allowedPrecisionsByOp,
                allowedPrecisions, ties);
    }

    public PlanConstraints withMaxLatencyMicros(Double micros) {
        return new PlanConstraints(maxSizeBytes, micros, maxPredictedLoss, allowedPrecisionsByOp, allowedPrecisions,
                ties);
    }

    public PlanConstraints withMaxPredictedLoss(Double loss) {
        return new PlanConstraints(maxSizeBytes, maxLatencyMicros, loss, allowedPrecisionsByOp, allowedPrecisions,
                ties);
    }

    public PlanConstraints withAllowedPrecisions(Set<Precision> precisions) {
        return new PlanConstraints(maxSizeBytes, maxLatencyMicros, maxPredictedLoss, allowedPrecisionsByOp,
                precisions, ties);
    }

    public PlanConstraints withAllowedPrecisionsByOp(Map<String, Set<Precision>> byOp) {
        return new PlanConstraints(maxSizeBytes, maxLatencyMicros, maxPredictedLoss, byOp, allowedPrecisions, ties);
    }

    public PlanConstraints withTies(List<Set<String>> newTies) {
        return new PlanConstraints(maxSizeBytes, maxLatencyMicros, maxPredictedLoss, allowedPrecisionsByOp,
                allowedPrecisions, newTies);
    }

    /** The precisions a layer of the given op type may use: the global set intersected with the op's set. */
    public Set<Precision> allowedFor(String opType) {
        EnumSet<Precision> allowed = allowedPrecisions.isEmpty()
                ? EnumSet.allOf(Precision.class) : EnumSet.copyOf(allowedPrecisions);
        Set<Precision> byOp = allowedPrecisionsByOp.get(opType);
        if (byOp != null) {
            allowed.retainAll(byOp);
        }
        return allowed;
    }

    /** The budget of one kind, or {@code null} when unbounded. */
    public Double budget(BudgetKind kind) {
        return switch (kind) {
            case SIZE -> maxSizeBytes == null ? null : maxSizeBytes.doubleValue();
            case LATENCY -> maxLatencyMicros;
            case PREDICTED_LOSS -> maxPredictedLoss;
        };
    }

    private static EnumSet<Precision> enumSet(Set<Precision> set) {
        EnumSet<Precision> copy = EnumSet.noneOf(Precision.class);
        if (set != null) {
            set.forEach(p -> copy.add(Objects.requireNonNull(p, "precision")));
        }
        return copy;
    }

    private static PlannerException invalid(String message) {
        return new PlannerException(PlannerErrorCode.INVALID_INPUT, message);
    }
}
