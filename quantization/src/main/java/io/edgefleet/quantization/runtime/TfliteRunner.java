package io.edgefleet.quantization.runtime;

import io.edgefleet.quantization.ErrorCode;
import io.edgefleet.quantization.QuantizationException;
import io.edgefleet.quantization.samples.SampleSet;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorflowlite.BuiltinOpResolverWithoutDefaultDelegates;
import org.bytedeco.tensorflowlite.FlatBufferModel;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.InterpreterBuilder;
import org.bytedeco.tensorflowlite.TfLiteIntArray;
import org.bytedeco.tensorflowlite.TfLiteTensor;

/**
 * Runs a TFLite model in the real native TFLite 2.19 runtime (built-in kernels, XNNPACK where applicable).
 *
 * <p>Callers always exchange float32 values: for int8 / uint8 / int16 input and output tensors the runner quantizes
 * inputs and dequantizes outputs with the tensor's scale and zero point. Not thread-safe for concurrent inference
 * (methods are synchronized); the native model buffer, model, resolver and interpreter are released by
 * {@link #close()}.
 */
public final class TfliteRunner implements AutoCloseable {
    private static final int K_OK = 0;
    private static final int TYPE_FLOAT32 = 1;
    private static final int TYPE_UINT8 = 3;
    private static final int TYPE_INT16 = 7;
    private static final int TYPE_INT8 = 9;

    private final BytePointer modelData;
    private final FlatBufferModel model;
    private final BuiltinOpResolverWithoutDefaultDelegates resolver;
    private final XnnpackDelegate xnnpack;
    private final InterpreterBuilder builder;
    private final Interpreter interpreter;
    private final int inputIndex;
    private final int[] outputIndices;
    private final int[] inputShape;
    private final int[][] outputShapes;
    private boolean closed;

    private TfliteRunner(BytePointer modelData, FlatBufferModel model,
            BuiltinOpResolverWithoutDefaultDelegates resolver, XnnpackDelegate xnnpack, InterpreterBuilder builder,
            Interpreter interpreter) {
        this.modelData = modelData;
        this.model = model;
        this.resolver = resolver;
        this.xnnpack = xnnpack;
        this.builder = builder;
        this.interpreter = interpreter;
        int inputs = (int) sizeOf(interpreter.inputs(), "inputs");
        if (inputs != 1) {
            throw new QuantizationException(ErrorCode.RUNTIME_ERROR,
                    "only single-input models are supported, model has " + inputs + " inputs");
        }
        this.inputIndex = interpreter.inputs().get(0);
        int outputs = (int) sizeOf(interpreter.outputs(), "outputs");
        this.outputIndices = new int[outputs];
        this.outputShapes = new int[outputs][];
        for (int i = 0; i < outputs; i++) {
            outputIndices[i] = interpreter.outputs().get(i);
            outputShapes[i] = dims(interpreter.tensor(outputIndices[i]));
            requireSupportedType(interpreter.tensor(outputIndices[i]), "output " + i);
        }
        this.inputShape = dims(interpreter.tensor(inputIndex));
        requireSupportedType(interpreter.tensor(inputIndex), "input");
    }

    /**
     * Loads a model into a new interpreter and allocates its tensors.
     *
     * @param modelBytes the .tflite flatbuffer
     * @param threads interpreter threads (>= 1)
     */
    public static TfliteRunner load(byte[] modelBytes, int threads) {
        if (modelBytes == null || modelBytes.length == 0) {
            throw new QuantizationException(ErrorCode.CORRUPT_MODEL, "model is empty");
        }
        if (threads < 1) {
            throw new QuantizationException(ErrorCode.INVALID_ARGUMENT, "threads must be >= 1, got " + threads);
        }
        // bounds-checks indices and declared shapes before the runtime allocates anything
        io.edgefleet.quantization.model.TfliteModel.parse(modelBytes);
        BytePointer data = new BytePointer(modelBytes.length);
        FlatBufferModel model = null;
        BuiltinOpResolverWithoutDefaultDelegates resolver = null;
        XnnpackDelegate xnnpack = null;
        InterpreterBuilder builder = null;
        Interpreter interpreter = null;
        try {
            data.put(modelBytes);
            model = FlatBufferModel.VerifyAndBuildFromBuffer(data, modelBytes.length);
            if (model == null || model.isNull()) {
                throw new QuantizationException(ErrorCode.CORRUPT_MODEL,
                        "the TFLite runtime rejected the flatbuffer (verification failed)");
            }
            // the default XNNPACK delegate of this build has QS8 off and would leave every int8 operator on the
            // builtin kernels: apply an XNNPACK delegate with QS8/QU8 on instead (float graphs are unaffected)
            resolver = new BuiltinOpResolverWithoutDefaultDelegates();
            xnnpack = XnnpackDelegate.create(threads);
            builder = new InterpreterBuilder(model, resolver);
            builder.AddDelegate(xnnpack.delegate());
            check(builder.SetNumThreads(threads), "set the number of threads");
            interpreter = new Interpreter((Pointer) null);
            check(builder.apply(interpreter), "build the interpreter (unsupported op version or invalid tensors)");
            if (interpreter.isNull()) {
                throw new QuantizationException(ErrorCode.RUNTIME_ERROR, "the TFLite runtime built no interpreter");
            }
            check(interpreter.AllocateTensors(), "allocate tensors (invalid shapes or quantization parameters)");
            return new TfliteRunner(data, model, resolver, xnnpack, builder, interpreter);
        } catch (RuntimeException e) {
            release(interpreter, builder, resolver, model, data);
            if (xnnpack != null) {
                xnnpack.close();
            }
            throw e;
        }
    }

    public int[] inputShape() {
        return inputShape.clone();
    }

    /** Shape of output 0. */
    public int[] outputShape() {
        return outputShapes[0].clone();
    }

    public int outputCount() {
        return outputIndices.length;
    }

    public int[] outputShape(int output) {
        return outputShapes[output].clone();
    }

    /**
     * Nodes of the interpreter's main subgraph: the model's operators plus one node per delegate kernel that
     * replaced some of them.
     */
    public synchronized int nodeCount() {
        ensureOpen();
        return (int) interpreter.nodes_size();
    }

    /**
     * Steps the interpreter executes per inference after delegation: equal to {@link #nodeCount()} when no delegate
     * took any operator; smaller when the default XNNPACK delegate fused operators into delegate kernels.
     */
    public synchronized int executionSteps() {
        ensureOpen();
        IntPointer plan = interpreter.execution_plan();
        long n = plan.limit() - plan.position();
        return (int) (n > 0 ? n : plan.capacity());
    }

    /** Number of values of one input (product of the input shape, batch included). */
    public int inputSize() {
        return product(inputShape);
    }

    /** Runs one sample; returns output 0 as floats. */
    public synchronized float[] infer(float[] input) {
        invoke(input);
        return readOutput(0);
    }

    /** Runs one sample; returns every output as floats, in output order. */
    public synchronized float[][] inferOutputs(float[] input) {
        invoke(input);
        float[][] out = new float[outputIndices.length][];
        for (int i = 0; i < outputIndices.length; i++) {
            out[i] = readOutput(i);
        }
        return out;
    }

    /** Runs every sample of a set; returns output 0 per sample. */
    public float[][] inferAll(SampleSet samples) {
        requireCompatible(samples);
        float[][] out = new float[samples.count()][];
        for (int i = 0; i < samples.count(); i++) {
            out[i] = infer(samples.inputs()[i]);
        }
        return out;
    }

    /** Throws {@link ErrorCode#CALIBRATION_MISMATCH} if one sample does not fill the model input exactly. */
    public void requireCompatible(SampleSet samples) {
        if (samples.sampleSize() != inputSize()) {
            throw new QuantizationException(ErrorCode.CALIBRATION_MISMATCH, "samples of shape "
                    + Arrays.toString(samples.sampleShape()) + " do not match the model input shape "
                    + Arrays.toString(inputShape));
        }
    }

    private void invoke(float[] input) {
        ensureOpen();
        if (input == null || input.length != inputSize()) {
            throw new QuantizationException(ErrorCode.CALIBRATION_MISMATCH, "input has "
                    + (input == null ? 0 : input.length) + " values, model input " + Arrays.toString(inputShape)
                    + " needs " + inputSize());
        }
        TfLiteTensor t = interpreter.tensor(inputIndex);
        ByteBuffer bb = buffer(t);
        int type = t.type();
        float scale = t.params().scale();
        int zp = t.params().zero_point();
        switch (type) {
            case TYPE_FLOAT32 -> bb.asFloatBuffer().put(input);
            case TYPE_INT8 -> {
                for (int i = 0; i < input.length; i++) {
                    bb.put(i, (byte) quantize(input[i], scale, zp, -128, 127));
                }
            }
            case TYPE_UINT8 -> {
                for (int i = 0; i < input.length; i++) {
                    bb.put(i, (byte) quantize(input[i], scale, zp, 0, 255));
                }
            }
            case TYPE_INT16 -> {
                for (int i = 0; i < input.length; i++) {
                    bb.putShort(i * 2, (short) quantize(input[i], scale, zp, -32768, 32767));
                }
            }
            default -> throw unsupportedType("input", type);
        }
        check(interpreter.Invoke(), "invoke the model");
    }

    private float[] readOutput(int output) {
        TfLiteTensor t = interpreter.tensor(outputIndices[output]);
        ByteBuffer bb = buffer(t);
        int n = product(outputShapes[output]);
        float[] out = new float[n];
        float scale = t.params().scale();
        int zp = t.params().zero_point();
        switch (t.type()) {
            case TYPE_FLOAT32 -> bb.asFloatBuffer().get(out);
            case TYPE_INT8 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (bb.get(i) - zp) * scale;
                }
            }
            case TYPE_UINT8 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = ((bb.get(i) & 0xff) - zp) * scale;
                }
            }
            case TYPE_INT16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (bb.getShort(i * 2) - zp) * scale;
                }
            }
            default -> throw unsupportedType("output", t.type());
        }
        return out;
    }

    private static int quantize(float v, float scale, int zp, int min, int max) {
        if (!Float.isFinite(v)) {
            throw new QuantizationException(ErrorCode.NON_FINITE_VALUES, "input contains " + v);
        }
        double r = (double) v / scale;
        long q = (r < 0 ? -(long) Math.floor(-r + 0.5) : (long) Math.floor(r + 0.5)) + zp;
        return (int) Math.max(min, Math.min(max, q));
    }

    private static ByteBuffer buffer(TfLiteTensor t) {
        BytePointer raw = t.data().raw();
        if (raw == null || raw.isNull()) {
            throw new QuantizationException(ErrorCode.RUNTIME_ERROR, "tensor " + t.name().getString()
                    + " has no allocated data");
        }
        raw.capacity(t.bytes());
        return raw.asByteBuffer().order(ByteOrder.nativeOrder());
    }

    private static int[] dims(TfLiteTensor t) {
        TfLiteIntArray dims = t.dims();
        int[] shape = new int[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = dims.data(i);
        }
        return shape;
    }

    private static long sizeOf(org.bytedeco.javacpp.IntPointer vector, String what) {
        // interpreter.inputs()/outputs() return a std::vector<int> mapped to an IntPointer whose limit is the size
        long n = vector.limit() - vector.position();
        if (n <= 0) {
            n = vector.capacity();
        }
        if (n <= 0) {
            throw new QuantizationException(ErrorCode.RUNTIME_ERROR, "model declares no " + what);
        }
        return n;
    }

    private static void requireSupportedType(TfLiteTensor t, String role) {
        int type = t.type();
        if (type != TYPE_FLOAT32 && type != TYPE_INT8 && type != TYPE_UINT8 && type != TYPE_INT16) {
            throw unsupportedType(role, type);
        }
    }

    private static QuantizationException unsupportedType(String role, int type) {
        return new QuantizationException(ErrorCode.RUNTIME_ERROR, "unsupported " + role + " tensor type "
                + typeName(type) + " (supported: FLOAT32, INT8, UINT8, INT16)");
    }

    static String typeName(int type) {
        String[] names = {"NOTYPE", "FLOAT32", "INT32", "UINT8", "INT64", "STRING", "BOOL", "INT16", "COMPLEX64",
            "INT8", "FLOAT16", "FLOAT64", "COMPLEX128", "UINT64", "RESOURCE", "VARIANT", "UINT32", "UINT16", "INT4"};
        return type >= 0 && type < names.length ? names[type] : "TYPE_" + type;
    }

    static String statusName(int status) {
        String[] names = {"kTfLiteOk", "kTfLiteError", "kTfLiteDelegateError", "kTfLiteApplicationError",
            "kTfLiteDelegateDataNotFound", "kTfLiteDelegateDataWriteError", "kTfLiteDelegateDataReadError",
            "kTfLiteUnresolvedOps", "kTfLiteCancelled", "kTfLiteOutputShapeNotKnown"};
        return status >= 0 && status < names.length ? names[status] : "status " + status;
    }

    private static void check(int status, String action) {
        if (status != K_OK) {
            throw new QuantizationException(ErrorCode.RUNTIME_ERROR, "TFLite failed to " + action + ": "
                    + statusName(status) + " (the runtime's detailed message is written to stderr)");
        }
    }

    private static int product(int[] shape) {
        long p = 1;
        for (int d : shape) {
            p *= d;
        }
        return (int) p;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("runner is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            // the interpreter references the delegate: delete the delegate after it
            release(interpreter, builder, resolver, model, modelData);
            xnnpack.close();
        }
    }

    private static void release(Pointer... pointers) {
        for (Pointer p : pointers) {
            if (p != null) {
                p.close();
            }
        }
    }
}
