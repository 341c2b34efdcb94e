package io.edgefleet.quantizer.mixed;

import io.edgefleet.quantization.model.OpInfo;
import io.edgefleet.quantization.model.Ops;
import io.edgefleet.quantization.model.TfliteModel;
import io.edgefleet.quantization.quantize.LayerPrecision;

/**
 * Bytes one operator contributes to a built model at a precision, from its parameter counts (no build needed).
 *
 * <p>Weighted operators (CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED): FLOAT32 = 4 B per weight and bias element;
 * FLOAT16 = 2 B per element (weights and bias are both stored as float16); INT8 = 1 B per weight, 4 B per int32 bias
 * element and 12 B (float scale + int64 zero point) per output channel for the weight and for the bias quantization
 * parameters; INT4_WEIGHTS = as INT8 with weights packed two per byte. Other operators: their constant bytes at
 * every precision (shape tensors, paddings, small multipliers).
 */
public final class LayerSizeModel {
    private static final long QUANT_PARAM_BYTES_PER_CHANNEL = 12;

    private LayerSizeModel() {
    }

    public static long bytes(TfliteModel model, OpInfo op, LayerPrecision precision) {
        if (!Ops.WEIGHTED_OPS.contains(op.builtinCode())) {
            return op.parameterBytes();
        }
        int[] in = op.inputs();
        long weights = model.tensor(in[1]).elements();
        int[] shape = model.tensor(in[1]).shape();
        long channels = shape[Ops.weightChannelAxis(op.builtinCode())];
        long bias = in.length > 2 && in[2] >= 0 ? model.tensor(in[2]).elements() : 0;
        if (precision == LayerPrecision.FLOAT32) {
            return 4 * (weights + bias);
        } else if (precision == LayerPrecision.FLOAT16) {
            return 2 * (weights + bias);
        }
        long params = 2 * channels * QUANT_PARAM_BYTES_PER_CHANNEL;
        if (precision == LayerPrecision.INT8) {
            return weights + 4 * bias + params;
        }
        return (weights + 1) / 2 + 4 * bias + params;
    }
}
