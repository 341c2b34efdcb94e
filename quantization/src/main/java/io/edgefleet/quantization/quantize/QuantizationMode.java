package io.edgefleet.quantization.quantize;

/** The model-wide quantization recipes. */
public enum QuantizationMode {
    /** float16 weights, dequantized to float32 at load/run time by DEQUANTIZE ops; float32 kernels. */
    FLOAT16,
    /** int8 weights (per-channel), float32 activations, hybrid kernels quantize activations on the fly. */
    DYNAMIC_RANGE_INT8,
    /** int8 weights and activations (TFLite int8 spec), float32 model input/output via QUANTIZE/DEQUANTIZE. */
    FULL_INT8,
    /** like {@link #FULL_INT8} but the model input and output tensors themselves are int8. */
    FULL_INT8_INT8_IO,
    /** int16 activations (symmetric, zero point 0), int8 weights, int64 bias; float32 model input/output. */
    INT16X8,
    /** int4 weights (per-channel, packed) for CONV_2D/DEPTHWISE_CONV_2D/FULLY_CONNECTED, int8 activations. */
    INT4_WEIGHTS;

    /** Whether this mode needs activation ranges from a calibration set. */
    public boolean needsCalibration() {
        return this == FULL_INT8 || this == FULL_INT8_INT8_IO || this == INT16X8 || this == INT4_WEIGHTS;
    }
}
