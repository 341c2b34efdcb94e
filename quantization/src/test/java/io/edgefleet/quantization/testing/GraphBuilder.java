package io.edgefleet.quantization.testing;

import io.edgefleet.quantization.model.TfliteModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tensorflow.lite.schema.BufferT;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.BuiltinOptionsUnion;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.OperatorCodeT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.SubGraphT;
import org.tensorflow.lite.schema.TensorT;
import org.tensorflow.lite.schema.TensorType;

/** Builds small float32 TFLite models with the schema object API, for tests. */
public final class GraphBuilder {
    private final List<TensorT> tensors = new ArrayList<>();
    private final List<BufferT> buffers = new ArrayList<>();
    private final List<OperatorT> operators = new ArrayList<>();
    private final List<OperatorCodeT> codes = new ArrayList<>();
    private final Map<Integer, Integer> codeIndex = new HashMap<>();
    private final Random random;
    private int[] inputs = new int[0];
    private int[] outputs = new int[0];

    public GraphBuilder(long seed) {
        this.random = new Random(seed);
        buffers.add(new BufferT()); // sentinel
    }

    public int activation(String name, int... shape) {
        return tensor(name, TensorType.FLOAT32, shape, null);
    }

    public int constant(String name, float[] values, int... shape) {
        ByteBuffer bb = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            bb.putFloat(v);
        }
        return tensor(name, TensorType.FLOAT32, shape, bb.array());
    }

    public int intConstant(String name, int[] values, int... shape) {
        ByteBuffer bb = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            bb.putInt(v);
        }
        return tensor(name, TensorType.INT32, shape, bb.array());
    }

    /** Random weights, uniform in [-scale, scale]. */
    public int randomConstant(String name, float scale, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (random.nextFloat() * 2 - 1) * scale;
        }
        return constant(name, v, shape);
    }

    public int tensor(String name, byte type, int[] shape, byte[] data) {
        TensorT t = new TensorT();
        t.setName(name);
        t.setType(type);
        t.setShape(shape.clone());
        if (data == null) {
            t.setBuffer(0);
        } else {
            BufferT b = new BufferT();
            int[] d = new int[data.length];
            for (int i = 0; i < data.length; i++) {
                d[i] = data[i] & 0xff;
            }
            b.setData(d);
            buffers.add(b);
            t.setBuffer(buffers.size() - 1);
        }
        tensors.add(t);
        return tensors.size() - 1;
    }

    public GraphBuilder op(int builtin, byte optionsType, Object options, int[] in, int... out) {
        int code = codeIndex.computeIfAbsent(builtin, b -> {
            OperatorCodeT c = new OperatorCodeT();
            c.setBuiltinCode(b);
            c.setDeprecatedBuiltinCode((byte) Math.min(b, 127));
            c.setVersion(1);
            codes.add(c);
            return codes.size() - 1;
        });
        OperatorT op = new OperatorT();
        op.setOpcodeIndex(code);
        op.setInputs(in);
        op.setOutputs(out);
        if (options != null) {
            BuiltinOptionsUnion u = new BuiltinOptionsUnion();
            u.setType(optionsType);
            u.setValue(options);
            op.setBuiltinOptions(u);
        } else {
            BuiltinOptionsUnion u = new BuiltinOptionsUnion();
            u.setType(BuiltinOptions.NONE);
            op.setBuiltinOptions(u);
        }
        operators.add(op);
        return this;
    }

    public GraphBuilder io(int[] in, int[] out) {
        this.inputs = in;
        this.outputs = out;
        return this;
    }

    public ModelT modelT() {
        SubGraphT g = new SubGraphT();
        g.setTensors(tensors.toArray(new TensorT[0]));
        g.setOperators(operators.toArray(new OperatorT[0]));
        g.setInputs(inputs);
        g.setOutputs(outputs);
        g.setName("main");
        ModelT m = new ModelT();
        m.setVersion(3);
        m.setDescription("test model");
        m.setSubgraphs(new SubGraphT[] {g});
        m.setBuffers(buffers.toArray(new BufferT[0]));
        m.setOperatorCodes(codes.toArray(new OperatorCodeT[0]));
        return m;
    }

    public byte[] build() {
        return TfliteModel.serialize(modelT());
    }

    public Random random() {
        return random;
    }
}
