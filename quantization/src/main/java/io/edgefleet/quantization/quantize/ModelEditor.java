package io.edgefleet.quantization.quantize;

import io.edgefleet.quantization.model.TfliteModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.lite.schema.BufferT;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.BuiltinOptionsUnion;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.OperatorCodeT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.QuantizationParametersT;
import org.tensorflow.lite.schema.SignatureDefT;
import org.tensorflow.lite.schema.SubGraphT;
import org.tensorflow.lite.schema.TensorMapT;
import org.tensorflow.lite.schema.TensorT;
import org.tensorflow.lite.schema.TensorType;

/**
 * Mutable editing view over the main subgraph of an object-API model: tensors, buffers and operators as lists,
 * each operator tagged with its builtin code; {@link #finish} rebuilds the operator-code table with computed versions,
 * drops unreferenced tensors and buffers, and serializes.
 */
final class ModelEditor {
    final ModelT model;
    final List<TensorT> tensors;
    final List<BufferT> buffers;
    final List<OperatorT> ops;
    final List<Integer> builtins;
    int[] inputs;
    int[] outputs;
    /** Graph input/output tensors replaced by new ones (old -> new), applied to signature definitions. */
    final Map<Integer, Integer> ioReplacements = new HashMap<>();

    ModelEditor(ModelT model) {
        this.model = model;
        SubGraphT g = model.getSubgraphs()[0];
        this.tensors = new ArrayList<>(Arrays.asList(g.getTensors()));
        this.buffers = new ArrayList<>(Arrays.asList(model.getBuffers()));
        this.ops = new ArrayList<>(Arrays.asList(g.getOperators()));
        this.builtins = new ArrayList<>();
        for (OperatorT op : ops) {
            builtins.add(TfliteModel.builtinCode(model.getOperatorCodes()[(int) op.getOpcodeIndex()]));
        }
        this.inputs = g.getInputs().clone();
        this.outputs = g.getOutputs().clone();
    }

    TensorT tensor(int index) {
        return tensors.get(index);
    }

    int addTensor(String name, byte type, int[] shape, QuantizationParametersT q, byte[] data) {
        TensorT t = new TensorT();
        t.setName(name);
        t.setType(type);
        t.setShape(shape.clone());
        t.setQuantization(q);
        t.setBuffer(data == null ? 0 : addBuffer(data));
        tensors.add(t);
        return tensors.size() - 1;
    }

    int addBuffer(byte[] data) {
        BufferT b = new BufferT();
        int[] d = new int[data.length];
        for (int i = 0; i < data.length; i++) {
            d[i] = data[i] & 0xff;
        }
        b.setData(d);
        buffers.add(b);
        return buffers.size() - 1;
    }

    /** Inserts an operator at {@code position} in execution order. */
    void insertOp(int position, int builtin, byte optionsType, Object options, int[] in, int[] out) {
        OperatorT op = new OperatorT();
        op.setInputs(in);
        op.setOutputs(out);
        BuiltinOptionsUnion u = new BuiltinOptionsUnion();
        u.setType(options == null ? BuiltinOptions.NONE : optionsType);
        u.setValue(options);
        op.setBuiltinOptions(u);
        ops.add(position, op);
        builtins.add(position, builtin);
    }

    static QuantizationParametersT quant(QuantMath.Params p) {
        QuantizationParametersT q = new QuantizationParametersT();
        q.setScale(p.scales().clone());
        q.setZeroPoint(p.zeroPoints().clone());
        q.setQuantizedDimension(p.axis());
        return q;
    }

    float[] floats(int tensor) {
        int[] data = buffers.get((int) tensors.get(tensor).getBuffer()).getData();
        float[] out = new float[data.length / 4];
        for (int i = 0; i < out.length; i++) {
            int b = i * 4;
            out[i] = Float.intBitsToFloat((data[b] & 0xff) | (data[b + 1] & 0xff) << 8 | (data[b + 2] & 0xff) << 16
                    | (data[b + 3] & 0xff) << 24);
        }
        return out;
    }

    boolean isConstant(int tensor) {
        long b = tensors.get(tensor).getBuffer();
        if (b <= 0 || b >= buffers.size()) {
            return false;
        }
        int[] data = buffers.get((int) b).getData();
        return data != null && data.length > 0;
    }

    static byte[] int8Bytes(int[] q) {
        byte[] out = new byte[q.length];
        for (int i = 0; i < q.length; i++) {
            out[i] = (byte) q[i];
        }
        return out;
    }

    static byte[] int4Bytes(int[] q) {
        byte[] out = new byte[(q.length + 1) / 2];
        for (int i = 0; i < q.length; i++) {
            int nibble = q[i] & 0x0f;
            out[i / 2] |= (byte) ((i % 2 == 0) ? nibble : nibble << 4);
        }
        return out;
    }

    static byte[] int32Bytes(int[] q) {
        ByteBuffer bb = ByteBuffer.allocate(q.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : q) {
            bb.putInt(v);
        }
        return bb.array();
    }

    static byte[] int64Bytes(long[] q) {
        ByteBuffer bb = ByteBuffer.allocate(q.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : q) {
            bb.putLong(v);
        }
        return bb.array();
    }

    static byte[] int16Bytes(int[] q) {
        ByteBuffer bb = ByteBuffer.allocate(q.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : q) {
            bb.putShort((short) v);
        }
        return bb.array();
    }

    static byte[] halfBytes(float[] values) {
        ByteBuffer bb = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            bb.putShort(QuantMath.toHalf(v));
        }
        return bb.array();
    }

    /** Consumers (operator positions) of each tensor in the current operator list. */
    Map<Integer, List<Integer>> consumers() {
        Map<Integer, List<Integer>> c = new HashMap<>();
        for (int i = 0; i < ops.size(); i++) {
            for (int t : ops.get(i).getInputs()) {
                if (t >= 0) {
                    c.computeIfAbsent(t, k -> new ArrayList<>()).add(i);
                }
            }
        }
        return c;
    }

    /**
     * Computes operator versions, rebuilds the operator code table, removes unreferenced tensors and buffers,
     * and serializes the model.
     */
    byte[] finish(String description) {
        // operator codes keyed by (builtin, version)
        Map<Long, Integer> codeIndex = new LinkedHashMap<>();
        List<OperatorCodeT> codes = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            OperatorT op = ops.get(i);
            int builtin = builtins.get(i);
            int version = OpVersions.version(builtin, op, this);
            long key = ((long) builtin << 32) | version;
            Integer idx = codeIndex.get(key);
            if (idx == null) {
                OperatorCodeT c = new OperatorCodeT();
                c.setBuiltinCode(builtin);
                c.setVersion(version);
                codes.add(c);
                idx = codes.size() - 1;
                codeIndex.put(key, idx);
            }
            op.setOpcodeIndex(idx);
        }
        // tensor compaction
        int[] tensorMap = new int[tensors.size()];
        Arrays.fill(tensorMap, -1);
        List<TensorT> keptTensors = new ArrayList<>();
        for (OperatorT op : ops) {
            markAll(op.getInputs(), tensorMap, keptTensors);
            markAll(op.getOutputs(), tensorMap, keptTensors);
        }
        markAll(inputs, tensorMap, keptTensors);
        markAll(outputs, tensorMap, keptTensors);
        for (OperatorT op : ops) {
            op.setInputs(remap(op.getInputs(), tensorMap));
            op.setOutputs(remap(op.getOutputs(), tensorMap));
            if (op.getIntermediates() != null && op.getIntermediates().length > 0) {
                op.setIntermediates(remap(op.getIntermediates(), tensorMap));
            }
        }
        int[] newInputs = remap(inputs, tensorMap);
        int[] newOutputs = remap(outputs, tensorMap);
        // buffer compaction (buffer 0 stays the empty sentinel)
        int[] bufferMap = new int[buffers.size()];
        Arrays.fill(bufferMap, -1);
        List<BufferT> keptBuffers = new ArrayList<>();
        BufferT sentinel = new BufferT();
        keptBuffers.add(sentinel);
        bufferMap[0] = 0;
        for (TensorT t : keptTensors) {
            int b = (int) t.getBuffer();
            int[] data = b > 0 ? buffers.get(b).getData() : null;
            if (data == null || data.length == 0) {
                t.setBuffer(0);
                continue;
            }
            if (bufferMap[b] < 0) {
                keptBuffers.add(buffers.get(b));
                bufferMap[b] = keptBuffers.size() - 1;
            }
            t.setBuffer(bufferMap[b]);
        }
        SubGraphT g = model.getSubgraphs()[0];
        g.setTensors(keptTensors.toArray(new TensorT[0]));
        g.setOperators(ops.toArray(new OperatorT[0]));
        g.setInputs(newInputs);
        g.setOutputs(newOutputs);
        model.setBuffers(keptBuffers.toArray(new BufferT[0]));
        model.setOperatorCodes(codes.toArray(new OperatorCodeT[0]));
        model.setMetadata(null);
        model.setMetadataBuffer(null);
        model.setDescription(description);
        SignatureDefT[] sigs = model.getSignatureDefs();
        if (sigs != null) {
            for (SignatureDefT sig : sigs) {
                remapSignature(sig.getInputs(), tensorMap);
                remapSignature(sig.getOutputs(), tensorMap);
            }
        }
        return TfliteModel.serialize(model);
    }

    private void remapSignature(TensorMapT[] maps, int[] tensorMap) {
        if (maps == null) {
            return;
        }
        for (TensorMapT m : maps) {
            long old = ioReplacements.getOrDefault((int) m.getTensorIndex(), (int) m.getTensorIndex());
            if (old >= 0 && old < tensorMap.length && tensorMap[(int) old] >= 0) {
                m.setTensorIndex(tensorMap[(int) old]);
            }
        }
    }

    private void markAll(int[] indices, int[] map, List<TensorT> kept) {
        if (indices == null) {
            return;
        }
        for (int t : indices) {
            if (t >= 0 && map[t] < 0) {
                kept.add(tensors.get(t));
                map[t] = kept.size() - 1;
            }
        }
    }

    private static int[] remap(int[] indices, int[] map) {
        if (indices == null) {
            return new int[0];
        }
        int[] out = new int[indices.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = indices[i] < 0 ? indices[i] : map[indices[i]];
        }
        return out;
    }

    byte typeOf(int tensor) {
        return tensor < 0 ? TensorType.FLOAT32 : tensors.get(tensor).getType();
    }
}
