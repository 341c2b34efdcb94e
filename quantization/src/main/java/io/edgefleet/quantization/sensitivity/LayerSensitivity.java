package io.edgefleet.quantization.sensitivity;

import io.edgefleet.quantization.quantize.LayerPrecision;

/**
 * Effect of quantizing ONE operator to a precision while every other operator stays float32, measured against the
 * float model's outputs on an evaluation set.
 *
 * @param layer operator index in the float model
 * @param op builtin name
 * @param precision precision applied to that operator
 * @param top1Agreement fraction of samples whose arg-max matches the float model's
 * @param outputMse mean squared difference of the output vectors
 * @param outputKl mean KL(float || quantized) of the output distributions (softmax applied if outputs are not
 *     already probabilities)
 * @param weightRelativeError ||W - Q(W)||^2 / ||W||^2 of the operator's weights (NaN without weights)
 */
public record LayerSensitivity(int layer, String op, LayerPrecision precision, double top1Agreement,
        double outputMse, double outputKl, double weightRelativeError) {
}
