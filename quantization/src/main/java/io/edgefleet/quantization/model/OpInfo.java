package io.edgefleet.quantization.model;

import java.util.Arrays;

/**
 * An operator (layer) of the model's main subgraph.
 *
 * @param index operator index in execution order
 * @param builtinCode builtin operator code
 * @param name builtin name, e.g. CONV_2D
 * @param version operator version declared in the operator code table
 * @param inputs input tensor indices (-1 = optional input absent)
 * @param outputs output tensor indices
 * @param macs multiply-accumulate count of one inference (0 for ops without arithmetic of note)
 * @param parameterCount number of elements in constant inputs
 * @param parameterBytes bytes of constant inputs
 */
public record OpInfo(int index, int builtinCode, String name, int version, int[] inputs, int[] outputs, long macs,
        long parameterCount, long parameterBytes) {

    public OpInfo {
        inputs = inputs.clone();
        outputs = outputs.clone();
    }

    @Override
    public int[] inputs() {
        return inputs.clone();
    }

    @Override
    public int[] outputs() {
        return outputs.clone();
    }

    /** Stable layer identifier used by reports and plans: {@code <index>:<name>}. */
    public String layerId() {
        return index + ":" + name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OpInfo op && index == op.index && builtinCode == op.builtinCode && version == op.version
                && Arrays.equals(inputs, op.inputs) && Arrays.equals(outputs, op.outputs);
    }

    @Override
    public int hashCode() {
        return 31 * index + builtinCode;
    }

    @Override
    public String toString() {
        return "Op#" + index + "[" + name + " v" + version + " in=" + Arrays.toString(inputs) + " out="
                + Arrays.toString(outputs) + "]";
    }
}
