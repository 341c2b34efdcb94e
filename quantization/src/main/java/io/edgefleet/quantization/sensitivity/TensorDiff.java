package io.edgefleet.quantization.sensitivity;

/**
 * Per-tensor difference between a float model and its quantized version (dequantized values), averaged over a
 * sample set.
 *
 * @param name tensor name (shared by both models)
 * @param quantizedType type of the tensor in the quantized model
 * @param scale its (first) quantization scale, 0 if float
 * @param mse mean squared difference
 * @param maxAbsDiff largest absolute difference
 * @param snrDb signal-to-noise ratio 10 log10(sum x^2 / sum (x - q)^2); +Inf if identical
 */
public record TensorDiff(String name, String quantizedType, double scale, double mse, double maxAbsDiff,
        double snrDb) {
}
