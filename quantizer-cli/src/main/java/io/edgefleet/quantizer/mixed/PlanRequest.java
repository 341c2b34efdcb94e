package io.edgefleet.quantizer.mixed;

import io.edgefleet.planner.Objective;
import io.edgefleet.planner.Precision;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A planning request against a {@link ModelAnalysis}.
 *
 * @param maxModelBytes budget on the whole built model (fixed bytes included), null = unbounded
 * @param maxLatencyMicros budget on the predicted latency (needs a latency table), null = unbounded
 * @param metric which sensitivity is the additive predicted loss
 * @param allowedPrecisions precisions any layer may use (empty = every mixable precision)
 * @param objective what is minimised
 */
public record PlanRequest(Long maxModelBytes, Double maxLatencyMicros, SensitivityMetric metric,
        Set<Precision> allowedPrecisions, Objective objective) {

    public PlanRequest {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(objective, "objective");
        if (maxModelBytes != null && maxModelBytes <= 0) {
            throw new QuantizerCliException(CliErrorCode.INVALID_ARGUMENT, "size budget must be > 0 bytes");
        }
        if (maxLatencyMicros != null && !(maxLatencyMicros > 0)) {
            throw new QuantizerCliException(CliErrorCode.INVALID_ARGUMENT, "latency budget must be > 0 µs");
        }
        Set<Precision> copy = EnumSet.noneOf(Precision.class);
        if (allowedPrecisions != null) {
            for (Precision p : allowedPrecisions) {
                PrecisionMapping.toLayer(p);
                copy.add(p);
            }
        }
        allowedPrecisions = Set.copyOf(copy);
    }

    /** Minimise the KL-predicted loss under a model-size budget. */
    public static PlanRequest sizeBudget(long maxModelBytes) {
        return new PlanRequest(maxModelBytes, null, SensitivityMetric.OUTPUT_KL, Set.of(),
                Objective.MIN_PREDICTED_LOSS);
    }

    public PlanRequest withLatencyBudget(Double micros) {
        return new PlanRequest(maxModelBytes, micros, metric, allowedPrecisions, objective);
    }

    public PlanRequest withMetric(SensitivityMetric m) {
        return new PlanRequest(maxModelBytes, maxLatencyMicros, m, allowedPrecisions, objective);
    }

    public PlanRequest withAllowedPrecisions(Set<Precision> precisions) {
        return new PlanRequest(maxModelBytes, maxLatencyMicros, metric, precisions, objective);
    }
}
