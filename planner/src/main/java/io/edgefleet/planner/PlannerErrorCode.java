package io.edgefleet.planner;

/** Error codes of the planner module; {@link #key()} is stable and safe to expose to clients. */
public enum PlannerErrorCode {
    /** Malformed input: empty or duplicate layers, negative sizes, NaN costs, unknown layer ids in ties, bad budgets. */
    INVALID_INPUT("planner.invalid-input"),
    /** A layer has no precision that is both allowed and described by its profile (sensitivity, size, latency). */
    NO_ALLOWED_PRECISION("planner.no-allowed-precision"),
    /** Layers tied together share no candidate precision. */
    TIE_NO_COMMON_PRECISION("planner.tie-no-common-precision"),
    /** The size budget is below the smallest achievable size. */
    SIZE_BUDGET_INFEASIBLE("planner.size-budget-infeasible"),
    /** The latency budget is below the smallest achievable latency. */
    LATENCY_BUDGET_INFEASIBLE("planner.latency-budget-infeasible"),
    /** The predicted-loss budget is below the smallest achievable predicted loss. */
    LOSS_BUDGET_INFEASIBLE("planner.loss-budget-infeasible"),
    /** Each budget can be met alone, or several cannot, but not all of them together. */
    BUDGETS_JOINTLY_INFEASIBLE("planner.budgets-jointly-infeasible"),
    /** The solver found no solution within its time limit. */
    SOLVER_TIMEOUT("planner.solver-timeout"),
    /** The solver rejected the model or failed unexpectedly. */
    SOLVER_FAILED("planner.solver-failed"),
    /** The OR-Tools native libraries could not be loaded on this platform. */
    NATIVE_LIBRARY_UNAVAILABLE("planner.native-library-unavailable");

    private final String key;

    PlannerErrorCode(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
