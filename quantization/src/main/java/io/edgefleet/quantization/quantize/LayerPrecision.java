package io.edgefleet.quantization.quantize;

/** Precision of one operator in a mixed-precision plan. */
public enum LayerPrecision {
    /** float32 kernel, float32 weights. */
    FLOAT32,
    /** float32 kernel, float16 weights (DEQUANTIZE at load). */
    FLOAT16,
    /** int8 kernel: int8 activations, int8 per-channel weights. */
    INT8,
    /** int8 activations with int4 per-channel weights (weighted operators; other operators run in INT8). */
    INT4_WEIGHTS;

    /** Storage bits of one weight element at this precision. */
    public int weightBits() {
        return switch (this) {
            case FLOAT32 -> 32;
            case FLOAT16 -> 16;
            case INT8 -> 8;
            case INT4_WEIGHTS -> 4;
        };
    }

    /** Whether the operator computes in float32. */
    public boolean isFloat() {
        return this == FLOAT32 || this == FLOAT16;
    }
}
