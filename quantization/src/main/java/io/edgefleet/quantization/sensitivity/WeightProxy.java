package io.edgefleet.quantization.sensitivity;

import io.edgefleet.quantization.quantize.LayerPrecision;

/**
 * Data-free sensitivity proxy of one weighted operator at one precision.
 *
 * @param layer operator index
 * @param op builtin name
 * @param precision weight precision
 * @param squaredError ||W - Q(W)||^2
 * @param relativeError squaredError / ||W||^2
 * @param parameters weight elements
 */
public record WeightProxy(int layer, String op, LayerPrecision precision, double squaredError, double relativeError,
        long parameters) {
}
