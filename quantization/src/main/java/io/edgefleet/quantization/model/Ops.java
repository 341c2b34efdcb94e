package io.edgefleet.quantization.model;

import java.util.Set;
import org.tensorflow.lite.schema.BuiltinOperator;

/** Operator names and the operator sets this engine supports. */
public final class Ops {
    /** Operators accepted in a float32 input model. */
    public static final Set<Integer> SUPPORTED_FLOAT_OPS = Set.of(
            BuiltinOperator.CONV_2D, BuiltinOperator.DEPTHWISE_CONV_2D, BuiltinOperator.FULLY_CONNECTED,
            BuiltinOperator.ADD, BuiltinOperator.MUL, BuiltinOperator.AVERAGE_POOL_2D, BuiltinOperator.MAX_POOL_2D,
            BuiltinOperator.MEAN, BuiltinOperator.RESHAPE, BuiltinOperator.CONCATENATION, BuiltinOperator.PAD,
            BuiltinOperator.SOFTMAX, BuiltinOperator.LOGISTIC, BuiltinOperator.TANH, BuiltinOperator.RELU,
            BuiltinOperator.RELU6, BuiltinOperator.HARD_SWISH);

    /** Operators additionally accepted in models produced by the quantizer. */
    public static final Set<Integer> QUANTIZATION_OPS = Set.of(BuiltinOperator.QUANTIZE, BuiltinOperator.DEQUANTIZE);

    /** Operators carrying a weight tensor at input 1 (and an optional bias at input 2). */
    public static final Set<Integer> WEIGHTED_OPS = Set.of(
            BuiltinOperator.CONV_2D, BuiltinOperator.DEPTHWISE_CONV_2D, BuiltinOperator.FULLY_CONNECTED);

    private Ops() {
    }

    /** The builtin operator name, e.g. {@code CONV_2D}; {@code UNKNOWN_<code>} for codes this schema lacks. */
    public static String name(int builtinCode) {
        if (builtinCode >= 0 && builtinCode < BuiltinOperator.names.length) {
            String n = BuiltinOperator.names[builtinCode];
            if (n != null && !n.isEmpty()) {
                return n;
            }
        }
        return "UNKNOWN_" + builtinCode;
    }

    /**
     * The per-channel quantization axis of the weight tensor for a weighted op (CONV_2D 0, DEPTHWISE_CONV_2D 3,
     * FULLY_CONNECTED 0).
     */
    public static int weightChannelAxis(int builtinCode) {
        return builtinCode == BuiltinOperator.DEPTHWISE_CONV_2D ? 3 : 0;
    }
}
