package io.edgefleet.planner;

import java.util.List;

/**
 * No plan satisfies the constraints. {@link #code()} says which constraint family failed, {@link #violations()} lists
 * the budgets that cannot be met with their exact smallest achievable values (empty for allowed-precision and tie
 * failures, whose message names the layers).
 */
public final class InfeasiblePlanException extends PlannerException {
    private static final long serialVersionUID = 1L;

    private final transient List<BudgetViolation> violations;

    public InfeasiblePlanException(PlannerErrorCode code, String message, List<BudgetViolation> violations) {
        super(code, message);
        this.violations = List.copyOf(violations);
    }

    static InfeasiblePlanException forViolations(List<BudgetViolation> violations, boolean jointly) {
        PlannerErrorCode code;
        if (!jointly && violations.size() == 1) {
            code = switch (violations.get(0).kind()) {
                case SIZE -> PlannerErrorCode.SIZE_BUDGET_INFEASIBLE;
                case LATENCY -> PlannerErrorCode.LATENCY_BUDGET_INFEASIBLE;
                case PREDICTED_LOSS -> PlannerErrorCode.LOSS_BUDGET_INFEASIBLE;
            };
        } else {
            code = PlannerErrorCode.BUDGETS_JOINTLY_INFEASIBLE;
        }
        StringBuilder message = new StringBuilder();
        if (code == PlannerErrorCode.BUDGETS_JOINTLY_INFEASIBLE) {
            message.append(jointly
                    ? "budgets cannot be met together (each is achievable alone): "
                    : "several budgets cannot be met: ");
        }
        for (int i = 0; i < violations.size(); i++) {
            if (i > 0) {
                message.append("; ");
            }
            message.append(violations.get(i).describe());
        }
        return new InfeasiblePlanException(code, message.toString(), violations);
    }

    public List<BudgetViolation> violations() {
        return violations;
    }

    /** The violation for one budget kind, if that budget is among the failing ones. */
    public java.util.Optional<BudgetViolation> violation(BudgetKind kind) {
        return violations.stream().filter(v -> v.kind() == kind).findFirst();
    }
}
