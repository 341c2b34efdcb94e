package io.edgefleet.quantization.model;

import java.util.Arrays;

/**
 * A tensor of the model's main subgraph.
 *
 * @param index tensor index in the subgraph
 * @param name tensor name
 * @param type TFLite tensor type name (FLOAT32, INT8, ...)
 * @param typeCode raw {@code TensorType} code
 * @param shape declared shape
 * @param elements number of elements
 * @param constant whether the tensor has constant data in a buffer
 * @param scales quantization scales (empty if not quantized)
 * @param zeroPoints quantization zero points (empty if not quantized)
 * @param quantizedDimension per-channel axis
 */
public record TensorInfo(int index, String name, String type, byte typeCode, int[] shape, long elements,
        boolean constant, float[] scales, long[] zeroPoints, int quantizedDimension) {

    public TensorInfo {
        shape = shape.clone();
        scales = scales.clone();
        zeroPoints = zeroPoints.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public float[] scales() {
        return scales.clone();
    }

    @Override
    public long[] zeroPoints() {
        return zeroPoints.clone();
    }

    public boolean quantized() {
        return scales.length > 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && index == t.index && name.equals(t.name) && typeCode == t.typeCode
                && Arrays.equals(shape, t.shape) && constant == t.constant && Arrays.equals(scales, t.scales)
                && Arrays.equals(zeroPoints, t.zeroPoints) && quantizedDimension == t.quantizedDimension;
    }

    @Override
    public int hashCode() {
        return 31 * index + Arrays.hashCode(shape) + name.hashCode();
    }

    @Override
    public String toString() {
        return "Tensor#" + index + "[" + name + " " + type + Arrays.toString(shape) + (constant ? " const" : "")
                + "]";
    }
}
