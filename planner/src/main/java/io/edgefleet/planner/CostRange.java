package io.edgefleet.planner;

import java.util.List;

/**
 * Smallest and largest achievable total of one metric over all plans that respect the allowed precisions and ties
 * (budgets ignored): {@code min} is HAWQ-V3's cost(all-low), {@code max} its cost(all-high).
 */
public record CostRange(BudgetKind kind, double min, double max) {

    /**
     * Computes the range exactly (per decision group, no solver).
     *
     * @throws PlannerException as {@link Planner#plan} for invalid input, no candidate precision or bad ties; for
     *     {@link BudgetKind#LATENCY} only precisions with a latency are candidates
     */
    public static CostRange of(List<LayerProfile> layers, PlanConstraints constraints, BudgetKind kind) {
        PlanningProblem problem = PlanningProblem.build(layers, constraints, kind == BudgetKind.LATENCY);
        return new CostRange(kind, problem.minimum(kind), problem.maximum(kind));
    }
}
