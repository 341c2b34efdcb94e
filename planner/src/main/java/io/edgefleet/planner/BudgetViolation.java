package io.edgefleet.planner;

import java.util.Objects;

/**
 * One budget that cannot be met.
 *
 * @param kind which budget
 * @param budget the requested bound
 * @param smallestAchievableAlone the exact smallest value of this metric over all plans that respect the allowed
 *     precisions and ties, ignoring the other budgets
 * @param smallestAchievableWithOtherBudgets the smallest value while also respecting the other budgets; {@code NaN}
 *     when it was not computed (the budget fails alone) or when the other budgets cannot be met together either
 */
public record BudgetViolation(
        BudgetKind kind, double budget, double smallestAchievableAlone, double smallestAchievableWithOtherBudgets) {

    public BudgetViolation {
        Objects.requireNonNull(kind, "kind");
    }

    /** True when this budget is below the smallest achievable value even without the other budgets. */
    public boolean infeasibleAlone() {
        return smallestAchievableAlone > budget;
    }

    String describe() {
        StringBuilder text = new StringBuilder()
                .append(kind.label()).append(" budget ").append(kind.format(budget)).append(" cannot be met: ");
        if (infeasibleAlone()) {
            text.append("smallest achievable ").append(kind.label()).append(" with the allowed precisions is ")
                    .append(kind.format(smallestAchievableAlone));
        } else if (Double.isNaN(smallestAchievableWithOtherBudgets)) {
            text.append("achievable alone (smallest ").append(kind.format(smallestAchievableAlone))
                    .append(") but the other budgets cannot be met together either");
        } else {
            text.append("smallest achievable ").append(kind.label()).append(" while meeting the other budgets is ")
                    .append(kind.format(smallestAchievableWithOtherBudgets))
                    .append(" (alone it would be ").append(kind.format(smallestAchievableAlone)).append(')');
        }
        return text.toString();
    }
}
