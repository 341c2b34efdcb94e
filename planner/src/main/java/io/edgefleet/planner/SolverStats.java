package io.edgefleet.planner;

/**
 * Solver diagnostics attached to a plan.
 *
 * @param status how the plan was obtained
 * @param stages lexicographic solver stages run (0 for evaluated plans)
 * @param decisionGroups decision variables groups after merging ties (one per group of tied layers)
 * @param booleanVariables one-hot variables in the model
 * @param branches CP-SAT branches, summed over stages
 * @param conflicts CP-SAT conflicts, summed over stages
 * @param wallTimeSeconds solver wall time, summed over stages
 * @param lossResolution value of one integer unit of predicted loss in the model (see {@code CostScale})
 * @param latencyResolutionMicros value of one integer unit of latency in the model; {@code NaN} without latencies
 */
public record SolverStats(
        SolveStatus status,
        int stages,
        int decisionGroups,
        int booleanVariables,
        long branches,
        long conflicts,
        double wallTimeSeconds,
        double lossResolution,
        double latencyResolutionMicros) {

    /** Stats of a plan that was evaluated rather than solved. */
    public static SolverStats evaluated(int decisionGroups) {
        return new SolverStats(SolveStatus.EVALUATED, 0, decisionGroups, 0, 0, 0, 0.0, Double.NaN, Double.NaN);
    }
}
