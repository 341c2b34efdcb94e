package io.edgefleet.planner;

import java.time.Duration;
import java.util.Objects;

/**
 * Solver settings.
 *
 * @param timeLimit wall-clock limit for one {@link Planner#plan} call over all its solver stages; a plan found when
 *     the limit hits is returned with {@link SolveStatus#FEASIBLE}
 * @param numWorkers CP-SAT search workers; 1 (the default) makes the search deterministic, so equal inputs always
 *     yield the same plan even among plans with identical loss, size and latency
 * @param costResolutionBits integer range for double costs: the worst-case total of a metric maps to at most
 *     {@code 2^bits} units (see {@link CostScale}); 40 gives a resolution of about 1e-12 of the total
 */
public record PlannerOptions(Duration timeLimit, int numWorkers, int costResolutionBits) {

    public PlannerOptions {
        Objects.requireNonNull(timeLimit, "timeLimit");
        if (timeLimit.isNegative() || timeLimit.isZero()) {
            throw new PlannerException(PlannerErrorCode.INVALID_INPUT, "timeLimit must be positive");
        }
        if (numWorkers < 1) {
            throw new PlannerException(PlannerErrorCode.INVALID_INPUT, "numWorkers must be >= 1");
        }
        if (costResolutionBits < 8 || costResolutionBits > 48) {
            throw new PlannerException(PlannerErrorCode.INVALID_INPUT, "costResolutionBits must be in [8, 48]");
        }
    }

    /** 60 s, one worker (deterministic), 40-bit cost resolution. */
    public static PlannerOptions defaults() {
        return new PlannerOptions(Duration.ofSeconds(60), 1, 40);
    }

    public PlannerOptions withTimeLimit(Duration limit) {
        return new PlannerOptions(limit, numWorkers, costResolutionBits);
    }

    public PlannerOptions withNumWorkers(int workers) {
        return new PlannerOptions(timeLimit, workers, costResolutionBits);
    }
}
