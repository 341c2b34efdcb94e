package io.edgefleet.quantizer.mixed;

import io.edgefleet.planner.InfeasiblePlanException;

/**
 * No mixed plan meets the requested budgets. The message is phrased in whole-model terms (model bytes including
 * the fixed bytes); the planner's exception is the cause.
 */
public final class PlanInfeasibleException extends QuantizerCliException {
    private static final long serialVersionUID = 1L;

    private final Long smallestModelBytes;

    public PlanInfeasibleException(String message, Long smallestModelBytes, InfeasiblePlanException cause) {
        super(CliErrorCode.PLAN_INFEASIBLE, message, cause);
        this.smallestModelBytes = smallestModelBytes;
    }

    /** The smallest achievable model size when the size budget failed, else null. */
    public Long smallestModelBytes() {
        return smallestModelBytes;
    }
}
