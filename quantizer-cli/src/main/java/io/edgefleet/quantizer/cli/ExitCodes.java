package io.edgefleet.quantizer.cli;

import io.edgefleet.planner.PlannerException;
import io.edgefleet.quantization.ErrorCode;
import io.edgefleet.quantization.QuantizationException;
import io.edgefleet.quantizer.mixed.CliErrorCode;
import io.edgefleet.quantizer.mixed.QuantizerCliException;

/** Process exit codes of the command line (stable, documented in the README). */
public final class ExitCodes {
    public static final int OK = 0;
    /** Unexpected internal failure. */
    public static final int INTERNAL = 1;
    /** Bad command-line usage or argument values. */
    public static final int USAGE = 2;
    /** The model is corrupt, not a float model, or uses unsupported operators. */
    public static final int BAD_MODEL = 3;
    /** A sample set is unreadable, empty, mismatched or holds NaN/Inf. */
    public static final int BAD_SAMPLES = 4;
    /** No plan meets the budgets. */
    public static final int PLAN_INFEASIBLE = 5;
    /** The mode/precision cannot be applied with the bundled runtime. */
    public static final int UNSUPPORTED = 6;
    /** The TFLite runtime failed on a model. */
    public static final int RUNTIME_ERROR = 7;
    /** A file could not be read or written, or a plan file is invalid. */
    public static final int IO_ERROR = 8;

    private ExitCodes() {
    }

    /** The exit code for a failure. */
    public static int of(Throwable ex) {
        if (ex instanceof QuantizationException q) {
            ErrorCode code = q.code();
            if (code == ErrorCode.CORRUPT_MODEL || code == ErrorCode.UNSUPPORTED_OP
                    || code == ErrorCode.NOT_FLOAT_MODEL) {
                return BAD_MODEL;
            } else if (code == ErrorCode.INVALID_SAMPLES || code == ErrorCode.CALIBRATION_MISMATCH
                    || code == ErrorCode.NON_FINITE_VALUES) {
                return BAD_SAMPLES;
            } else if (code == ErrorCode.UNSUPPORTED_MODE) {
                return UNSUPPORTED;
            } else if (code == ErrorCode.RUNTIME_ERROR) {
                return RUNTIME_ERROR;
            }
            return USAGE;
        } else if (ex instanceof QuantizerCliException c) {
            CliErrorCode code = c.code();
            if (code == CliErrorCode.PLAN_INFEASIBLE) {
                return PLAN_INFEASIBLE;
            } else if (code == CliErrorCode.IO_ERROR || code == CliErrorCode.INVALID_PLAN) {
                return IO_ERROR;
            } else if (code == CliErrorCode.UNSUPPORTED_PRECISION) {
                return UNSUPPORTED;
            }
            return USAGE;
        } else if (ex instanceof PlannerException) {
            return USAGE;
        }
        return INTERNAL;
    }

    /** The stable key of a failure, printed with the message. */
    public static String key(Throwable ex) {
        if (ex instanceof QuantizationException q) {
            return q.code().key();
        } else if (ex instanceof QuantizerCliException c) {
            return c.code().key();
        } else if (ex instanceof PlannerException p) {
            return p.code().key();
        }
        return "quantizer-cli.internal";
    }
}
