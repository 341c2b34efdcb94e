package io.edgefleet.planner;

import java.util.Objects;

/** The planner module's single base exception; every failure carries a {@link PlannerErrorCode}. */
public class PlannerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final PlannerErrorCode code;

    public PlannerException(PlannerErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public PlannerException(PlannerErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public PlannerErrorCode code() {
        return code;
    }
}
