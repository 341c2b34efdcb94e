package io.edgefleet.planner.pareto;

import io.edgefleet.planner.Plan;
import java.util.Objects;

/**
 * One non-dominated plan of a frontier.
 *
 * @param fraction the sweep fraction f whose budget first produced this plan
 * @param budget the budget cost(all-low) + f·(cost(all-high) − cost(all-low))
 * @param cost the plan's actual cost on the axis (≤ budget)
 * @param predictedLoss the plan's predicted loss
 * @param plan the plan
 */
public record ParetoPoint(double fraction, double budget, double cost, double predictedLoss, Plan plan) {
    public ParetoPoint {
        Objects.requireNonNull(plan, "plan");
    }
}
