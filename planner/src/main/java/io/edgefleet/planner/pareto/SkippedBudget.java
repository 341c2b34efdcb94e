package io.edgefleet.planner.pareto;

import io.edgefleet.planner.PlannerErrorCode;

/** A sweep budget for which no plan met the base constraints, with the planner's explanation. */
public record SkippedBudget(double fraction, double budget, PlannerErrorCode code, String reason) {
}
