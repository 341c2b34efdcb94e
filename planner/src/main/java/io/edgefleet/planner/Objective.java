package io.edgefleet.planner;

import java.util.List;

/**
 * What the planner minimises. Each objective is lexicographic: the primary metric is minimised exactly, then the
 * remaining metrics break ties in the listed order, so equal-loss plans resolve to the smaller (then faster) one.
 */
public enum Objective {
    /** Minimise the predicted loss (HAWQ-V3); ties go to the smaller, then the faster plan. */
    MIN_PREDICTED_LOSS(List.of(BudgetKind.PREDICTED_LOSS, BudgetKind.SIZE, BudgetKind.LATENCY)),
    /** Minimise the model size; ties go to the lower predicted loss, then the faster plan. */
    MIN_SIZE(List.of(BudgetKind.SIZE, BudgetKind.PREDICTED_LOSS, BudgetKind.LATENCY)),
    /** Minimise the latency; ties go to the lower predicted loss, then the smaller plan. Needs latencies. */
    MIN_LATENCY(List.of(BudgetKind.LATENCY, BudgetKind.PREDICTED_LOSS, BudgetKind.SIZE));

    private final List<BudgetKind> order;

    Objective(List<BudgetKind> order) {
        this.order = order;
    }

    /** Metrics in lexicographic order, primary first. */
    public List<BudgetKind> order() {
        return order;
    }

    public BudgetKind primary() {
        return order.get(0);
    }
}
