package io.edgefleet.quantizer.mixed;

/** Stable error codes of the quantizer-cli module (glue and command line); {@link #key()} is the wire key. */
public enum CliErrorCode {
    /** A file could not be read or written. */
    IO_ERROR("quantizer-cli.io-error"),
    /** A plan file is malformed or does not match the model. */
    INVALID_PLAN("quantizer-cli.invalid-plan"),
    /** A precision the mixed-precision builder cannot apply per layer (e.g. int16x8, dynamic-int8). */
    UNSUPPORTED_PRECISION("quantizer-cli.unsupported-precision"),
    /** No plan meets the budgets; the message says which budget and the smallest achievable value. */
    PLAN_INFEASIBLE("quantizer-cli.plan-infeasible"),
    /** An argument is out of range or inconsistent with the others. */
    INVALID_ARGUMENT("quantizer-cli.invalid-argument");

    private final String key;

    CliErrorCode(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
