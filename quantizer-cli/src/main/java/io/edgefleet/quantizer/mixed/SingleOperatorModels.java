package io.edgefleet.quantizer.mixed;

import io.edgefleet.quantization.model.OpInfo;
import io.edgefleet.quantization.model.TfliteModel;
import io.edgefleet.quantization.runtime.TfliteRunner;
import io.edgefleet.quantization.samples.SampleSet;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.lite.schema.BufferT;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.OperatorCodeT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.SubGraphT;
import org.tensorflow.lite.schema.TensorT;

/**
 * Cuts one operator out of a float model as a standalone single-operator .tflite: same operator, options and
 * version, same input / output shapes and the same constant weights (copied byte for byte). The operator's first
 * activation input becomes the model input; further activation inputs (ADD, MUL, CONCATENATION of two activations)
 * are frozen as constants holding their values on the first sample, which keeps the kernel and its shapes.
 */
public final class SingleOperatorModels {
    private SingleOperatorModels() {
    }

    /**
     * One layer as a standalone float model, with the activations it sees in the full model.
     *
     * @param layer operator index in the full model
     * @param floatModel the single-operator float32 .tflite
     * @param inputTensor index of the layer's (first) activation input in the full model
     * @param inputs the values of that tensor in the full float model, one per sample of the source set
     */
    public record LayerModel(int layer, byte[] floatModel, int inputTensor, SampleSet inputs) {
    }

    /**
     * Extracts operator {@code layer} of {@code model}; its input activations are recorded by running the full float
     * model on {@code samples} in the runtime.
     */
    public static LayerModel extract(TfliteModel model, int layer, SampleSet samples, int threads) {
        if (layer < 0 || layer >= model.ops().size()) {
            throw new QuantizerCliException(CliErrorCode.INVALID_ARGUMENT, "layer " + layer + " does not exist: the "
                    + "model has " + model.ops().size() + " operators");
        }
        OpInfo info = model.ops().get(layer);
        List<Integer> activations = new ArrayList<>();
        for (int t : info.inputs()) {
            if (t >= 0 && !model.tensor(t).constant() && !activations.contains(t)) {
                activations.add(t);
            }
        }
        if (activations.isEmpty()) {
            throw new QuantizerCliException(CliErrorCode.INVALID_ARGUMENT, "layer " + info.layerId()
                    + " has no activation input: it cannot be run on its own");
        }
        int primary = activations.get(0);
        float[][] primaryValues = tensorValues(model, primary, samples, threads);
        Map<Integer, float[]> frozen = new HashMap<>();
        for (int t : activations.subList(1, activations.size())) {
            frozen.put(t, tensorValues(model, t, samples.slice(0, 1), threads)[0]);
        }
        byte[] single = build(model, layer, primary, frozen);
        return new LayerModel(layer, single, primary, new SampleSet(model.tensor(primary).shape(), primaryValues,
                null));
    }

    /**
     * The values of one tensor of a float model for every sample (the graph input itself, or an intermediate /
     * output tensor exposed as the first subgraph output of a copy of the model), computed in the runtime.
     */
    public static float[][] tensorValues(TfliteModel model, int tensor, SampleSet samples, int threads) {
        if (tensor == model.inputs()[0]) {
            float[][] copy = new float[samples.count()][];
            for (int i = 0; i < copy.length; i++) {
                copy[i] = samples.inputs()[i].clone();
            }
            return copy;
        }
        if (model.producer(tensor) < 0) {
            throw new QuantizerCliException(CliErrorCode.INVALID_ARGUMENT, "tensor " + tensor
                    + " is neither the model input nor produced by an operator");
        }
        // the tensor becomes output 0; the original outputs stay outputs (the runtime aborts on a graph whose
        // trailing operators feed no output)
        int[] original = model.outputs();
        int[] outputs = new int[original.length + 1];
        outputs[0] = tensor;
        int n = 1;
        for (int t : original) {
            if (t != tensor) {
                outputs[n++] = t;
            }
        }
        ModelT copy = model.copyModelT();
        copy.getSubgraphs()[0].setOutputs(java.util.Arrays.copyOf(outputs, n));
        copy.setSignatureDefs(null);
        byte[] probe = TfliteModel.serialize(copy);
        try (TfliteRunner runner = TfliteRunner.load(probe, threads)) {
            return runner.inferAll(samples);
        }
    }

    private static byte[] build(TfliteModel model, int layer, int primary, Map<Integer, float[]> frozen) {
        ModelT src = model.copyModelT();
        SubGraphT graph = src.getSubgraphs()[0];
        TensorT[] tensors = graph.getTensors();
        BufferT[] buffers = src.getBuffers();
        OperatorT op = graph.getOperators()[layer];
        List<TensorT> newTensors = new ArrayList<>();
        List<BufferT> newBuffers = new ArrayList<>();
        newBuffers.add(new BufferT());
        Map<Integer, Integer> remap = new HashMap<>();
        int[] in = op.getInputs().clone();
        for (int s = 0; s < in.length; s++) {
            int t = in[s];
            if (t < 0) {
                continue;
            }
            Integer mapped = remap.get(t);
            if (mapped == null) {
                TensorT tensor = tensors[t];
                if (model.tensor(t).constant()) {
                    BufferT b = new BufferT();
                    b.setData(buffers[(int) tensor.getBuffer()].getData().clone());
                    newBuffers.add(b);
                    tensor.setBuffer(newBuffers.size() - 1);
                } else if (frozen.containsKey(t)) {
                    BufferT b = new BufferT();
                    b.setData(floatBytes(frozen.get(t)));
                    newBuffers.add(b);
                    tensor.setBuffer(newBuffers.size() - 1);
                } else {
                    tensor.setBuffer(0);
                }
                newTensors.add(tensor);
                mapped = newTensors.size() - 1;
                remap.put(t, mapped);
            }
            in[s] = mapped;
        }
        int[] out = op.getOutputs().clone();
        for (int s = 0; s < out.length; s++) {
            TensorT tensor = tensors[out[s]];
            tensor.setBuffer(0);
            newTensors.add(tensor);
            out[s] = newTensors.size() - 1;
        }
        OperatorCodeT code = src.getOperatorCodes()[(int) op.getOpcodeIndex()];
        op.setOpcodeIndex(0);
        op.setInputs(in);
        op.setOutputs(out);
        SubGraphT g = new SubGraphT();
        g.setTensors(newTensors.toArray(new TensorT[0]));
        g.setOperators(new OperatorT[] {op});
        g.setInputs(new int[] {remap.get(primary)});
        g.setOutputs(out);
        g.setName("layer" + layer);
        ModelT m = new ModelT();
        m.setVersion(3);
        m.setDescription("edgefleet single-operator model of layer " + model.ops().get(layer).layerId());
        m.setSubgraphs(new SubGraphT[] {g});
        m.setBuffers(newBuffers.toArray(new BufferT[0]));
        m.setOperatorCodes(new OperatorCodeT[] {code});
        return TfliteModel.serialize(m);
    }

    /** float32 values as the unsigned bytes of a flatbuffer data vector (little endian). */
    private static int[] floatBytes(float[] values) {
        ByteBuffer bb = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(values);
        byte[] raw = bb.array();
        int[] data = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            data[i] = raw[i] & 0xff;
        }
        return data;
    }
}
