package io.edgefleet.quantization.model;

import com.google.flatbuffers.FlatBufferBuilder;
import io.edgefleet.quantization.ErrorCode;
import io.edgefleet.quantization.QuantizationException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tensorflowlite.FlatBufferModel;
import org.tensorflow.lite.schema.BufferT;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.OperatorCodeT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.Pool2DOptionsT;
import org.tensorflow.lite.schema.QuantizationParametersT;
import org.tensorflow.lite.schema.SubGraphT;
import org.tensorflow.lite.schema.TensorT;
import org.tensorflow.lite.schema.TensorType;

/**
 * A parsed, bounds-checked TFLite model with a read-only graph view of its main subgraph (subgraph 0).
 *
 * <p>Parsing first runs the TFLite runtime's own flatbuffer verifier, then checks every index (buffers, tensors,
 * operator codes) and every declared shape before any data is interpreted, so corrupt or hostile bytes fail with
 * {@link ErrorCode#CORRUPT_MODEL} instead of allocating or crashing.
 */
public final class TfliteModel {
    /** Largest element count accepted for one tensor: 2^28. */
    public static final long MAX_TENSOR_ELEMENTS = 1L << 28;
    /** Largest model accepted: 1 GiB. */
    public static final int MAX_MODEL_BYTES = 1 << 30;

    private final byte[] bytes;
    private final ModelT model;
    private final List<TensorInfo> tensors;
    private final List<OpInfo> ops;
    private final int[] inputs;
    private final int[] outputs;
    private final int[] producers;
    private final List<List<Integer>> consumers;

    private TfliteModel(byte[] bytes, ModelT model) {
        this.bytes = bytes;
        this.model = model;
        SubGraphT graph = model.getSubgraphs()[0];
        TensorT[] ts = graph.getTensors();
        List<TensorInfo> tensorList = new ArrayList<>(ts.length);
        for (int i = 0; i < ts.length; i++) {
            tensorList.add(describe(i, ts[i]));
        }
        this.tensors = Collections.unmodifiableList(tensorList);
        this.inputs = nonNull(graph.getInputs());
        this.outputs = nonNull(graph.getOutputs());
        this.producers = new int[ts.length];
        Arrays.fill(producers, -1);
        List<List<Integer>> cons = new ArrayList<>(ts.length);
        for (int i = 0; i < ts.length; i++) {
            cons.add(new ArrayList<>());
        }
        OperatorT[] operators = nonNull(graph.getOperators());
        List<OpInfo> opList = new ArrayList<>(operators.length);
        for (int i = 0; i < operators.length; i++) {
            OperatorT op = operators[i];
            OperatorCodeT code = model.getOperatorCodes()[(int) op.getOpcodeIndex()];
            int builtin = builtinCode(code);
            for (int t : nonNull(op.getInputs())) {
                if (t >= 0) {
                    cons.get(t).add(i);
                }
            }
            for (int t : nonNull(op.getOutputs())) {
                producers[t] = i;
            }
            opList.add(describeOp(i, builtin, code, op, ts));
        }
        this.ops = Collections.unmodifiableList(opList);
        List<List<Integer>> frozen = new ArrayList<>(cons.size());
        for (List<Integer> c : cons) {
            frozen.add(List.copyOf(c));
        }
        this.consumers = Collections.unmodifiableList(frozen);
    }

    /** Parses and validates the structure of a TFLite flatbuffer. */
    public static TfliteModel parse(byte[] bytes) {
        if (bytes == null || bytes.length < 16) {
            throw corrupt("model is empty or too small (" + (bytes == null ? 0 : bytes.length) + " bytes)");
        }
        if (bytes.length > MAX_MODEL_BYTES) {
            throw corrupt("model is larger than " + MAX_MODEL_BYTES + " bytes");
        }
        byte[] copy = bytes.clone();
        verifyWithRuntime(copy);
        ModelT model;
        try {
            ByteBuffer bb = ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN);
            Model root = Model.getRootAsModel(bb);
            checkStructure(root, copy.length);
            model = root.unpack();
        } catch (QuantizationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw corrupt("unreadable flatbuffer: " + e, e);
        }
        checkSemantics(model);
        return new TfliteModel(copy, model);
    }

    private static void verifyWithRuntime(byte[] bytes) {
        try (BytePointer data = new BytePointer(bytes.length)) {
            data.put(bytes);
            FlatBufferModel verified = FlatBufferModel.VerifyAndBuildFromBuffer(data, bytes.length);
            if (verified == null || verified.isNull()) {
                throw corrupt("the TFLite flatbuffer verifier rejected the model (truncated or corrupt)");
            }
            verified.close();
        }
    }

    /** Cheap length checks through the accessor API before unpacking (no vector may exceed the buffer). */
    private static void checkStructure(Model root, int length) {
        if (root.subgraphsLength() < 1) {
            throw corrupt("model has no subgraph");
        }
        requireLength("operator_codes", root.operatorCodesLength(), length);
        requireLength("buffers", root.buffersLength(), length);
        requireLength("subgraphs", root.subgraphsLength(), length);
        requireLength("metadata", root.metadataLength(), length);
        requireLength("signature_defs", root.signatureDefsLength(), length);
        for (int i = 0; i < root.buffersLength(); i++) {
            requireLength("buffer " + i, root.buffers(i).dataLength(), length);
        }
        for (int s = 0; s < root.subgraphsLength(); s++) {
            var g = root.subgraphs(s);
            requireLength("tensors", g.tensorsLength() * 4L, length);
            requireLength("operators", g.operatorsLength() * 4L, length);
            for (int t = 0; t < g.tensorsLength(); t++) {
                var tensor = g.tensors(t);
                requireLength("tensor shape", tensor.shapeLength() * 4L, length);
                requireLength("tensor shape signature", tensor.shapeSignatureLength() * 4L, length);
                if (tensor.quantization() != null) {
                    requireLength("quantization scale", tensor.quantization().scaleLength() * 4L, length);
                    requireLength("quantization zero point", tensor.quantization().zeroPointLength() * 8L, length);
                }
            }
            for (int o = 0; o < g.operatorsLength(); o++) {
                var op = g.operators(o);
                requireLength("operator inputs", op.inputsLength() * 4L, length);
                requireLength("operator outputs", op.outputsLength() * 4L, length);
                requireLength("custom options", op.customOptionsLength(), length);
            }
        }
    }

    private static void requireLength(String what, long declared, int length) {
        if (declared < 0 || declared > length) {
            throw corrupt(what + " declares " + declared + " bytes/elements, more than the " + length + "-byte model");
        }
    }

    private static void checkSemantics(ModelT model) {
        OperatorCodeT[] codes = nonNull(model.getOperatorCodes());
        BufferT[] buffers = nonNull(model.getBuffers());
        SubGraphT graph = model.getSubgraphs()[0];
        TensorT[] tensors = nonNull(graph.getTensors());
        int n = tensors.length;
        for (int i = 0; i < n; i++) {
            TensorT t = tensors[i];
            if (t.getType() < 0 || t.getType() >= TensorType.names.length) {
                throw corrupt("tensor " + i + " has unknown element type " + t.getType());
            }
            long elements = elementCount(t.getShape(), i);
            long buffer = t.getBuffer();
            if (buffer < 0 || buffer >= Math.max(1, buffers.length)) {
                throw corrupt("tensor " + i + " references buffer " + buffer + " of " + buffers.length);
            }
            int[] data = buffers.length == 0 ? null : buffers[(int) buffer].getData();
            if (data != null && data.length > 0) {
                int typeSize = typeSizeBits(t.getType());
                if (typeSize > 0) {
                    long expectedBytes = (elements * typeSize + 7) / 8;
                    if (expectedBytes != data.length) {
                        throw corrupt("tensor " + i + " (" + t.getName() + ") declares " + elements + " "
                                + TensorType.name(t.getType()) + " elements but its buffer holds " + data.length
                                + " bytes");
                    }
                }
            }
            QuantizationParametersT q = t.getQuantization();
            if (q != null && q.getScale() != null && q.getScale().length > 1) {
                int axis = q.getQuantizedDimension();
                int[] shape = nonNull(t.getShape());
                if (axis < 0 || axis >= shape.length || shape[axis] != q.getScale().length) {
                    throw corrupt("tensor " + i + " has " + q.getScale().length
                            + " per-channel scales that do not match its shape on axis " + axis);
                }
            }
        }
        checkIndices("subgraph input", nonNull(graph.getInputs()), n, false);
        checkIndices("subgraph output", nonNull(graph.getOutputs()), n, false);
        if (nonNull(graph.getInputs()).length == 0 || nonNull(graph.getOutputs()).length == 0) {
            throw corrupt("main subgraph declares no inputs or no outputs");
        }
        OperatorT[] ops = nonNull(graph.getOperators());
        for (int i = 0; i < ops.length; i++) {
            OperatorT op = ops[i];
            if (op.getOpcodeIndex() < 0 || op.getOpcodeIndex() >= codes.length) {
                throw corrupt("operator " + i + " references operator code " + op.getOpcodeIndex() + " of "
                        + codes.length);
            }
            checkIndices("operator " + i + " input", nonNull(op.getInputs()), n, true);
            checkIndices("operator " + i + " output", nonNull(op.getOutputs()), n, false);
        }
        checkExecutionOrder(graph, tensors, buffers, ops);
    }

    /**
     * TFLite runs operators in the order they are stored: every operator input must be a graph input, a constant, a
     * variable or the output of an EARLIER operator, and every tensor has at most one producer. A graph that violates
     * this has a cycle (or is out of order) and is rejected here instead of looping or reading garbage later.
     */
    private static void checkExecutionOrder(SubGraphT graph, TensorT[] tensors, BufferT[] buffers, OperatorT[] ops) {
        int n = tensors.length;
        boolean[] available = new boolean[n];
        boolean[] fixed = new boolean[n];
        for (int idx : nonNull(graph.getInputs())) {
            available[idx] = true;
            fixed[idx] = true;
        }
        for (int t = 0; t < n; t++) {
            int[] data = buffers.length == 0 ? null : buffers[(int) tensors[t].getBuffer()].getData();
            if ((data != null && data.length > 0) || tensors[t].getIsVariable()) {
                available[t] = true;
                fixed[t] = !tensors[t].getIsVariable();
            }
        }
        int[] producer = new int[n];
        java.util.Arrays.fill(producer, -1);
        for (int i = 0; i < ops.length; i++) {
            for (int idx : nonNull(ops[i].getInputs())) {
                if (idx >= 0 && !available[idx]) {
                    throw corrupt("operator " + i + " reads tensor " + idx + " before any operator produces it: the graph"
                            + " has a cycle or its operators are not in execution order");
                }
            }
            for (int idx : nonNull(ops[i].getOutputs())) {
                if (fixed[idx]) {
                    throw corrupt("operator " + i + " writes tensor " + idx + ", which is a graph input or a constant");
                }
                if (producer[idx] >= 0) {
                    throw corrupt("tensor " + idx + " is written by operators " + producer[idx] + " and " + i);
                }
                producer[idx] = i;
                available[idx] = true;
            }
        }
        for (int idx : nonNull(graph.getOutputs())) {
            if (!available[idx]) {
                throw corrupt("graph output tensor " + idx + " is never produced");
            }
        }
    }

    private static void checkIndices(String what, int[] indices, int tensorCount, boolean optionalAllowed) {
        for (int idx : indices) {
            if (idx >= tensorCount || idx < (optionalAllowed ? -1 : 0)) {
                throw corrupt(what + " references tensor " + idx + " of " + tensorCount);
            }
        }
    }

    private static long elementCount(int[] shape, int tensorIndex) {
        long elements = 1;
        for (int d : nonNull(shape)) {
            if (d < 0) {
                throw corrupt("tensor " + tensorIndex + " has a negative dimension " + d);
            }
            elements *= d;
            if (elements > MAX_TENSOR_ELEMENTS) {
                throw corrupt("tensor " + tensorIndex + " declares more than " + MAX_TENSOR_ELEMENTS + " elements");
            }
        }
        return elements;
    }

    /** Size of one element in bits, or -1 for variable-size types. */
    public static int typeSizeBits(byte type) {
        return switch (type) {
            case TensorType.FLOAT32, TensorType.INT32, TensorType.UINT32 -> 32;
            case TensorType.FLOAT16, TensorType.INT16, TensorType.UINT16 -> 16;
            case TensorType.INT8, TensorType.UINT8, TensorType.BOOL -> 8;
            case TensorType.INT64, TensorType.FLOAT64, TensorType.UINT64, TensorType.COMPLEX64 -> 64;
            case TensorType.COMPLEX128 -> 128;
            case TensorType.INT4 -> 4;
            default -> -1;
        };
    }

    /** The builtin code of an operator code entry (max of the deprecated byte code and the int code). */
    public static int builtinCode(OperatorCodeT code) {
        return Math.max(code.getBuiltinCode(), code.getDeprecatedBuiltinCode());
    }

    /**
     * Serializes a model with the "TFL3" identifier. Non-constant buffers are written without a data vector (an
     * empty-but-present vector is rejected by the 2.19 runtime) and operator codes carry both builtin code fields.
     */
    public static byte[] serialize(ModelT model) {
        BufferT[] buffers = nonNull(model.getBuffers());
        if (buffers.length == 0) {
            buffers = new BufferT[] {new BufferT()};
            model.setBuffers(buffers);
        }
        for (BufferT b : buffers) {
            if (b.getData() != null && b.getData().length == 0) {
                b.setData(null);
            }
        }
        if (buffers[0].getData() != null) {
            throw new QuantizationException(ErrorCode.INVALID_ARGUMENT, "buffer 0 must be the empty sentinel buffer");
        }
        for (SubGraphT g : model.getSubgraphs() == null ? new SubGraphT[0] : model.getSubgraphs()) {
            for (OperatorT op : nonNull(g.getOperators())) {
                // the object API turns absent vectors into empty ones; the runtime rejects some present-but-empty
                // vectors ("builtin operator with custom options"), so absent stays absent
                if (op.getCustomOptions() != null && op.getCustomOptions().length == 0) {
                    op.setCustomOptions(null);
                }
                if (op.getIntermediates() != null && op.getIntermediates().length == 0) {
                    op.setIntermediates(null);
                }
                if (op.getMutatingVariableInputs() != null && op.getMutatingVariableInputs().length == 0) {
                    op.setMutatingVariableInputs(null);
                }
            }
            for (TensorT t : nonNull(g.getTensors())) {
                if (t.getShapeSignature() != null && t.getShapeSignature().length == 0) {
                    t.setShapeSignature(null);
                }
                QuantizationParametersT q = t.getQuantization();
                if (q != null && empty(q.getScale()) && empty(q.getZeroPoint()) && empty(q.getMin())
                        && empty(q.getMax()) && (q.getDetails() == null || q.getDetails().getType() == 0)) {
                    t.setQuantization(null);
                }
            }
        }
        for (OperatorCodeT code : nonNull(model.getOperatorCodes())) {
            int builtin = builtinCode(code);
            code.setBuiltinCode(builtin);
            code.setDeprecatedBuiltinCode((byte) Math.min(builtin, BuiltinOperator.PLACEHOLDER_FOR_GREATER_OP_CODES));
            if (code.getVersion() < 1) {
                code.setVersion(1);
            }
        }
        if (model.getVersion() == 0) {
            model.setVersion(3);
        }
        FlatBufferBuilder builder = new FlatBufferBuilder(1 << 16);
        int root = Model.pack(builder, model);
        builder.finish(root, "TFL3");
        return builder.sizedByteArray();
    }

    // ---------------------------------------------------------------------------------------------- graph view

    /** The original bytes (a defensive copy). */
    public byte[] bytes() {
        return bytes.clone();
    }

    public int sizeBytes() {
        return bytes.length;
    }

    /** A fresh, independent, mutable object-API copy of the model (for transformations). */
    public ModelT copyModelT() {
        return Model.getRootAsModel(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)).unpack();
    }

    public List<TensorInfo> tensors() {
        return tensors;
    }

    public TensorInfo tensor(int index) {
        return tensors.get(index);
    }

    public List<OpInfo> ops() {
        return ops;
    }

    public int[] inputs() {
        return inputs.clone();
    }

    public int[] outputs() {
        return outputs.clone();
    }

    public TensorInfo input() {
        return tensors.get(inputs[0]);
    }

    public TensorInfo output() {
        return tensors.get(outputs[0]);
    }

    public int subgraphCount() {
        return model.getSubgraphs().length;
    }

    /** Index of the operator producing {@code tensor}, or -1 for graph inputs and constants. */
    public int producer(int tensor) {
        return producers[tensor];
    }

    /** Indices of the operators reading {@code tensor}. */
    public List<Integer> consumers(int tensor) {
        return consumers.get(tensor);
    }

    /** Constant data of a tensor as float32 values; throws if it has none or is not float32. */
    public float[] constantFloats(int tensor) {
        TensorInfo t = tensors.get(tensor);
        if (!t.constant() || t.typeCode() != TensorType.FLOAT32) {
            throw new QuantizationException(ErrorCode.INVALID_ARGUMENT, t + " is not a constant float32 tensor");
        }
        int[] data = bufferData(tensor);
        float[] out = new float[data.length / 4];
        for (int i = 0; i < out.length; i++) {
            int b = i * 4;
            out[i] = Float.intBitsToFloat((data[b] & 0xff) | (data[b + 1] & 0xff) << 8 | (data[b + 2] & 0xff) << 16
                    | (data[b + 3] & 0xff) << 24);
        }
        return out;
    }

    /** Raw little-endian bytes of a constant tensor (empty for non-constant tensors). */
    public byte[] constantBytes(int tensor) {
        int[] data = bufferData(tensor);
        byte[] out = new byte[data == null ? 0 : data.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) data[i];
        }
        return out;
    }

    private int[] bufferData(int tensor) {
        TensorT t = model.getSubgraphs()[0].getTensors()[tensor];
        return model.getBuffers()[(int) t.getBuffer()].getData();
    }

    /** Operator counts by name, in name order. */
    public Map<String, Integer> opCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        for (OpInfo op : ops) {
            counts.merge(op.name(), 1, Integer::sum);
        }
        return counts;
    }

    public ModelSummary summary() {
        List<ModelSummary.LayerSummary> layers = new ArrayList<>();
        long macs = 0;
        long params = 0;
        long paramBytes = 0;
        for (OpInfo op : ops) {
            macs += op.macs();
            params += op.parameterCount();
            paramBytes += op.parameterBytes();
            int[] outShape = op.outputs().length > 0 ? tensors.get(op.outputs()[0]).shape() : new int[0];
            String weightType = "";
            if (Ops.WEIGHTED_OPS.contains(op.builtinCode()) && op.inputs().length > 1 && op.inputs()[1] >= 0) {
                weightType = tensors.get(op.inputs()[1]).type();
            }
            layers.add(new ModelSummary.LayerSummary(op.index(), op.layerId(), op.name(), boxed(outShape), op.macs(),
                    op.parameterCount(), op.parameterBytes(), weightType));
        }
        TensorInfo in = input();
        TensorInfo out = output();
        return new ModelSummary(bytes.length, ops.size(), tensors.size(), opCounts(), boxed(in.shape()), in.type(),
                boxed(out.shape()), out.type(), macs, params, paramBytes, layers);
    }

    /**
     * Checks that this is a float32 model this engine can quantize: a single subgraph, only supported operators
     * (all unsupported ones are reported at once, by name), float32 inputs/outputs and float32 weights.
     */
    public void requireFloatModelSupported() {
        if (model.getSubgraphs().length != 1) {
            throw new QuantizationException(ErrorCode.UNSUPPORTED_OP, "models with " + model.getSubgraphs().length
                    + " subgraphs (control flow) are not supported");
        }
        Set<String> unsupported = new LinkedHashSet<>();
        for (OpInfo op : ops) {
            if (!Ops.SUPPORTED_FLOAT_OPS.contains(op.builtinCode())) {
                OperatorCodeT code = model.getOperatorCodes()[(int) model.getSubgraphs()[0].getOperators()[op.index()]
                        .getOpcodeIndex()];
                unsupported.add(op.builtinCode() == BuiltinOperator.CUSTOM
                        ? "CUSTOM(" + code.getCustomCode() + ")" : op.name());
            }
        }
        if (!unsupported.isEmpty()) {
            throw new QuantizationException(ErrorCode.UNSUPPORTED_OP,
                    "unsupported operators: " + String.join(", ", unsupported));
        }
        for (int idx : inputs) {
            requireFloat(tensors.get(idx), "input");
        }
        for (int idx : outputs) {
            requireFloat(tensors.get(idx), "output");
        }
        for (OpInfo op : ops) {
            if (Ops.WEIGHTED_OPS.contains(op.builtinCode())) {
                int[] in = op.inputs();
                if (in.length < 2 || in[1] < 0 || !tensors.get(in[1]).constant()) {
                    throw new QuantizationException(ErrorCode.UNSUPPORTED_OP, op.layerId()
                            + " has non-constant weights; only constant weights are supported");
                }
                requireFloat(tensors.get(in[1]), op.layerId() + " weight");
                if (in.length > 2 && in[2] >= 0) {
                    requireFloat(tensors.get(in[2]), op.layerId() + " bias");
                }
            }
            for (int t : op.outputs()) {
                requireFloat(tensors.get(t), op.layerId() + " output");
            }
        }
    }

    /** Throws {@link ErrorCode#NON_FINITE_VALUES} if a constant float32 tensor contains NaN or infinity. */
    public void requireFiniteWeights() {
        for (TensorInfo t : tensors) {
            if (t.constant() && t.typeCode() == TensorType.FLOAT32) {
                float[] values = constantFloats(t.index());
                for (float v : values) {
                    if (!Float.isFinite(v)) {
                        throw new QuantizationException(ErrorCode.NON_FINITE_VALUES,
                                "constant tensor " + t.index() + " (" + t.name() + ") contains " + v);
                    }
                }
            }
        }
    }

    private static void requireFloat(TensorInfo t, String role) {
        if (t.typeCode() != TensorType.FLOAT32) {
            throw new QuantizationException(ErrorCode.NOT_FLOAT_MODEL,
                    role + " tensor '" + t.name() + "' is " + t.type() + ", expected FLOAT32");
        }
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private TensorInfo describe(int index, TensorT t) {
        int[] shape = nonNull(t.getShape());
        long elements = 1;
        for (int d : shape) {
            elements *= d;
        }
        BufferT[] buffers = nonNull(model.getBuffers());
        int[] data = t.getBuffer() > 0 && t.getBuffer() < buffers.length ? buffers[(int) t.getBuffer()].getData()
                : null;
        boolean constant = data != null && data.length > 0;
        QuantizationParametersT q = t.getQuantization();
        float[] scales = q == null || q.getScale() == null ? new float[0] : q.getScale();
        long[] zps = q == null || q.getZeroPoint() == null ? new long[0] : q.getZeroPoint();
        return new TensorInfo(index, t.getName() == null ? "" : t.getName(), TensorType.name(t.getType()),
                t.getType(), shape, elements, constant, scales, zps, q == null ? 0 : q.getQuantizedDimension());
    }

    private OpInfo describeOp(int index, int builtin, OperatorCodeT code, OperatorT op, TensorT[] ts) {
        int[] in = nonNull(op.getInputs());
        int[] out = nonNull(op.getOutputs());
        long paramCount = 0;
        long paramBytes = 0;
        for (int t : in) {
            if (t >= 0 && tensors.get(t).constant()) {
                TensorInfo info = tensors.get(t);
                int bits = Math.max(typeSizeBits(info.typeCode()), 0);
                if (info.typeCode() != TensorType.INT32 || Ops.WEIGHTED_OPS.contains(builtin)) {
                    paramCount += info.elements();
                    paramBytes += (info.elements() * bits + 7) / 8;
                }
            }
        }
        long outElems = out.length > 0 ? tensors.get(out[0]).elements() : 0;
        long macs = switch (builtin) {
            case BuiltinOperator.CONV_2D -> {
                int[] w = weightShape(tensors, in); // [O, KH, KW, I]
                yield w.length == 4 ? outElems * w[1] * w[2] * w[3] : 0;
            }
            case BuiltinOperator.DEPTHWISE_CONV_2D -> {
                int[] w = weightShape(tensors, in); // [1, KH, KW, O]
                yield w.length == 4 ? outElems * w[1] * w[2] : 0;
            }
            case BuiltinOperator.FULLY_CONNECTED -> {
                int[] w = weightShape(tensors, in); // [O, I]
                yield w.length == 2 ? outElems * w[1] : 0;
            }
            case BuiltinOperator.AVERAGE_POOL_2D, BuiltinOperator.MAX_POOL_2D -> {
                Object opts = op.getBuiltinOptions() == null ? null : op.getBuiltinOptions().getValue();
                yield opts instanceof Pool2DOptionsT p ? outElems * p.getFilterHeight() * p.getFilterWidth()
                        : outElems;
            }
            case BuiltinOperator.MEAN -> in.length > 0 && in[0] >= 0 ? tensors.get(in[0]).elements() : 0;
            case BuiltinOperator.ADD, BuiltinOperator.MUL -> outElems;
            default -> 0L;
        };
        return new OpInfo(index, builtin, Ops.name(builtin), code.getVersion(), in, out, macs, paramCount,
                paramBytes);
    }

    /** Shape of the weight input (index 1), empty when a malformed operator has none. */
    private static int[] weightShape(List<TensorInfo> tensors, int[] in) {
        return in.length > 1 && in[1] >= 0 ? tensors.get(in[1]).shape() : new int[0];
    }

    private static List<Integer> boxed(int[] values) {
        List<Integer> list = new ArrayList<>(values.length);
        for (int v : values) {
            list.add(v);
        }
        return list;
    }

    static int[] nonNull(int[] a) {
        return a == null ? new int[0] : a;
    }

    private static boolean empty(float[] a) {
        return a == null || a.length == 0;
    }

    private static boolean empty(long[] a) {
        return a == null || a.length == 0;
    }

    static TensorT[] nonNull(TensorT[] a) {
        return a == null ? new TensorT[0] : a;
    }

    static OperatorT[] nonNull(OperatorT[] a) {
        return a == null ? new OperatorT[0] : a;
    }

    static OperatorCodeT[] nonNull(OperatorCodeT[] a) {
        return a == null ? new OperatorCodeT[0] : a;
    }

    static BufferT[] nonNull(BufferT[] a) {
        return a == null ? new BufferT[0] : a;
    }

    private static QuantizationException corrupt(String message) {
        return new QuantizationException(ErrorCode.CORRUPT_MODEL, message);
    }

    private static QuantizationException corrupt(String message, Throwable cause) {
        return new QuantizationException(ErrorCode.CORRUPT_MODEL, message, cause);
    }
}
