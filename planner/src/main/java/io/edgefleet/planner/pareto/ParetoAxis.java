package io.edgefleet.planner.pareto;

import io.edgefleet.planner.BudgetKind;
import io.edgefleet.planner.PlanConstraints;

/** The cost axis a frontier trades against predicted loss. */
public enum ParetoAxis {
    SIZE(BudgetKind.SIZE),
    LATENCY(BudgetKind.LATENCY);

    private final BudgetKind kind;

    ParetoAxis(BudgetKind kind) {
        this.kind = kind;
    }

    public BudgetKind kind() {
        return kind;
    }

    /** {@code base} with this axis' budget set to {@code budget} (sizes rounded down to whole bytes). */
    PlanConstraints withBudget(PlanConstraints base, double budget) {
        return switch (this) {
            case SIZE -> base.withMaxSizeBytes((long) Math.floor(budget));
            case LATENCY -> base.withMaxLatencyMicros(budget);
        };
    }
}
