package io.edgefleet.quantization;

/** Stable error codes of the quantization engine. The {@link #key()} is part of the public contract. */
public enum ErrorCode {
    /** The model bytes are not a readable TFLite flatbuffer (truncated, corrupt, out-of-range indices). */
    CORRUPT_MODEL("quantization.corrupt-model"),
    /** The model uses operators this engine cannot handle. */
    UNSUPPORTED_OP("quantization.unsupported-op"),
    /** The model is not a float32 model (inputs, outputs or weights of another type). */
    NOT_FLOAT_MODEL("quantization.not-float-model"),
    /** A sample set is malformed, empty or unreadable. */
    INVALID_SAMPLES("quantization.invalid-samples"),
    /** A sample set does not match the model's input shape. */
    CALIBRATION_MISMATCH("quantization.calibration-mismatch"),
    /** NaN or infinite values in samples, weights or activations. */
    NON_FINITE_VALUES("quantization.non-finite-values"),
    /** The requested quantization mode cannot be applied to this model with the bundled runtime. */
    UNSUPPORTED_MODE("quantization.unsupported-mode"),
    /** The TFLite runtime failed to build, allocate or invoke a model. */
    RUNTIME_ERROR("quantization.runtime-error"),
    /** Invalid argument passed to the API (programming error of the caller). */
    INVALID_ARGUMENT("quantization.invalid-argument");

    private final String key;

    ErrorCode(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
