package io.edgefleet.quantization.quantize;

import org.tensorflow.lite.schema.AddOptionsT;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.DepthwiseConv2DOptionsT;
import org.tensorflow.lite.schema.FullyConnectedOptionsT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.QuantizationParametersT;
import org.tensorflow.lite.schema.TensorType;

/**
 * Operator versions required by the tensor types of an operator, following TFLite's op versioning rules
 * (tensorflow/lite/tools/versioning/op_version.cc) for the operators this engine emits.
 */
final class OpVersions {
    private OpVersions() {
    }

    static int version(int builtin, OperatorT op, ModelEditor e) {
        int[] in = op.getInputs();
        byte in0 = in.length > 0 ? e.typeOf(in[0]) : TensorType.FLOAT32;
        byte in1 = in.length > 1 ? e.typeOf(in[1]) : TensorType.FLOAT32;
        byte out0 = op.getOutputs().length > 0 ? e.typeOf(op.getOutputs()[0]) : TensorType.FLOAT32;
        Object options = op.getBuiltinOptions() == null ? null : op.getBuiltinOptions().getValue();
        boolean hybrid = in0 == TensorType.FLOAT32 && in1 == TensorType.INT8 && out0 == TensorType.FLOAT32;
        boolean perChannelWeights = in.length > 1 && in[1] >= 0 && perChannel(e.tensor(in[1]).getQuantization());
        switch (builtin) {
            case BuiltinOperator.CONV_2D:
                if (in0 == TensorType.INT16 && in1 == TensorType.INT8) {
                    return 4;
                }
                if (in0 == TensorType.INT8 && in1 == TensorType.INT8) {
                    return 3;
                }
                if (in0 == TensorType.INT8 && in1 == TensorType.INT4) {
                    return 7;
                }
                if (hybrid) {
                    return perChannelWeights ? 5 : 2;
                }
                return 1;
            case BuiltinOperator.DEPTHWISE_CONV_2D:
                if (in0 == TensorType.INT16) {
                    return 5;
                }
                if (hybrid) {
                    return perChannelWeights ? 6 : 4;
                }
                if (in0 == TensorType.INT8 && in1 == TensorType.INT8) {
                    return 3;
                }
                if (in0 == TensorType.INT8 && in1 == TensorType.INT4) {
                    return 7;
                }
                if (options instanceof DepthwiseConv2DOptionsT d
                        && (d.getDilationWFactor() != 1 || d.getDilationHFactor() != 1)) {
                    return 2;
                }
                return 1;
            case BuiltinOperator.FULLY_CONNECTED: {
                FullyConnectedOptionsT fc = options instanceof FullyConnectedOptionsT f ? f : null;
                if (hybrid && perChannelWeights) {
                    return 12;
                }
                if (in0 == TensorType.INT16) {
                    return 7;
                }
                if (in.length == 2 || (in.length > 2 && in[2] < 0)) {
                    return 6;
                }
                if (fc != null && fc.getKeepNumDims()) {
                    return 5;
                }
                if (in0 == TensorType.INT8 && in1 == TensorType.INT8) {
                    return 4;
                }
                if (in0 == TensorType.INT8 && in1 == TensorType.INT4) {
                    return 10;
                }
                if (hybrid) {
                    return fc != null && fc.getAsymmetricQuantizeInputs() ? 9 : 3;
                }
                return 1;
            }
            case BuiltinOperator.ADD:
                if (in0 == TensorType.INT16 && options instanceof AddOptionsT a && !a.getPotScaleInt16()) {
                    return 3;
                }
                return in0 == TensorType.INT8 ? 2 : 1;
            case BuiltinOperator.MUL: {
                if (in0 == TensorType.INT16) {
                    return 4;
                }
                if (in0 == TensorType.INT8) {
                    float s1 = scale(e, in[0]);
                    float s2 = scale(e, in[1]);
                    float so = scale(e, op.getOutputs()[0]);
                    if (s1 != 0 && s2 != 0 && so != 0 && s1 * s2 / so >= 1.0) {
                        return 3;
                    }
                    return 2;
                }
                return 1;
            }
            case BuiltinOperator.AVERAGE_POOL_2D, BuiltinOperator.MAX_POOL_2D, BuiltinOperator.SOFTMAX,
                    BuiltinOperator.MEAN, BuiltinOperator.RELU6, BuiltinOperator.RELU, BuiltinOperator.TANH,
                    BuiltinOperator.LOGISTIC, BuiltinOperator.CONCATENATION:
                if (in0 == TensorType.INT16) {
                    return 3;
                }
                return in0 == TensorType.INT8 ? 2 : 1;
            case BuiltinOperator.PAD:
                if (e.tensor(in[0]).getShape().length > 4) {
                    return 4;
                }
                if (in0 == TensorType.INT16) {
                    return 3;
                }
                return in0 == TensorType.INT8 ? 2 : 1;
            case BuiltinOperator.QUANTIZE:
                if (in0 == TensorType.INT4 || out0 == TensorType.INT4) {
                    return 4;
                }
                return out0 == TensorType.INT16 ? 2 : 1;
            case BuiltinOperator.DEQUANTIZE:
                if (in0 == TensorType.INT4) {
                    return 6;
                }
                if (in0 == TensorType.INT16 || in0 == TensorType.FLOAT16) {
                    return 3;
                }
                if (in0 == TensorType.INT8) {
                    return perChannel(e.tensor(in[0]).getQuantization()) ? 5 : 2;
                }
                return 1;
            default:
                return 1;
        }
    }

    private static boolean perChannel(QuantizationParametersT q) {
        return q != null && q.getScale() != null && q.getScale().length > 1;
    }

    private static float scale(ModelEditor e, int tensor) {
        QuantizationParametersT q = tensor < 0 ? null : e.tensor(tensor).getQuantization();
        return q == null || q.getScale() == null || q.getScale().length == 0 ? 0f : q.getScale()[0];
    }
}
