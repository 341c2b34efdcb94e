package io.edgefleet.quantization.quantize;

import io.edgefleet.quantization.ErrorCode;
import io.edgefleet.quantization.QuantizationException;
import io.edgefleet.quantization.model.Ops;
import io.edgefleet.quantization.model.TfliteModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.lite.schema.AddOptionsT;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.TensorT;
import org.tensorflow.lite.schema.TensorType;

/**
 * Full-integer quantization (int8 or int16 activations, int8 or int4 per-channel weights) following the TFLite
 * quantization specification, with optional float32 layers (mixed precision) bridged by QUANTIZE / DEQUANTIZE.
 */
final class IntegerQuantizer {
    /** Operators whose output must share the input's quantization parameters. */
    private static final Set<Integer> SAME_SCALE = Set.of(BuiltinOperator.AVERAGE_POOL_2D,
            BuiltinOperator.MAX_POOL_2D, BuiltinOperator.RESHAPE, BuiltinOperator.PAD,
            BuiltinOperator.CONCATENATION);
    /** Operators without an int16 kernel in TFLite 2.19: kept in float32 in INT16X8 mode. */
    static final Set<Integer> NO_INT16_KERNEL = Set.of(BuiltinOperator.HARD_SWISH);

    record Config(byte activationType, int weightBits, boolean integerIo) {
        int qmin() {
            return activationType == TensorType.INT8 ? -128 : -32768;
        }

        int qmax() {
            return activationType == TensorType.INT8 ? 127 : 32767;
        }

        String typeName() {
            return TensorType.name(activationType);
        }
    }

    private final TfliteModel model;
    private final Map<Integer, TensorStats> stats;
    private final Config cfg;
    private final QuantizerOptions options;
    private final ModelEditor e;
    private final List<String> warnings;
    private final List<QuantizationReport.LayerReport> layers = new ArrayList<>();
    private final List<QuantizationReport.TensorReport> tensorReports = new ArrayList<>();

    /** integer tensor -> float tensor whose statistics give its range (or -1 for constants). */
    private final Map<Integer, Integer> rangeSource = new HashMap<>();
    /** integer constant copies -> float data. */
    private final Map<Integer, float[]> constantData = new HashMap<>();

    IntegerQuantizer(TfliteModel model, Map<Integer, TensorStats> stats, Config cfg, QuantizerOptions options,
            List<String> warnings) {
        this.model = model;
        this.stats = stats;
        this.cfg = cfg;
        this.options = options;
        this.e = new ModelEditor(model.copyModelT());
        this.warnings = warnings;
    }

    List<QuantizationReport.LayerReport> layers() {
        return layers;
    }

    List<QuantizationReport.TensorReport> tensorReports() {
        return tensorReports;
    }

    byte[] run() {
        List<OperatorT> original = new ArrayList<>(e.ops);
        List<Integer> originalBuiltins = new ArrayList<>(e.builtins);
        Set<OperatorT> quantized = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < original.size(); i++) {
            int builtin = originalBuiltins.get(i);
            LayerPrecision precision = options.layerPrecisions().get(i);
            boolean keepFloat = precision != null && precision.isFloat();
            if (!keepFloat && cfg.activationType() == TensorType.INT16 && NO_INT16_KERNEL.contains(builtin)) {
                keepFloat = true;
                warnings.add("layer " + i + " (" + Ops.name(builtin) + ") has no int16 kernel and stays float32");
            }
            if (!keepFloat) {
                quantized.add(original.get(i));
            }
        }
        // tensors converted in place to the integer type
        Set<Integer> inPlace = new LinkedHashSet<>();
        for (OperatorT op : quantized) {
            for (int t : op.getOutputs()) {
                if (e.typeOf(t) == TensorType.FLOAT32) {
                    inPlace.add(t);
                    rangeSource.put(t, t);
                }
            }
        }
        int graphInput = e.inputs[0];
        if (cfg.integerIo()) {
            inPlace.add(graphInput);
            rangeSource.put(graphInput, graphInput);
        }
        Map<Integer, Integer> quantizeOf = new HashMap<>();
        Map<Integer, Integer> dequantizeOf = new HashMap<>();
        for (int i = 0; i < original.size(); i++) {
            OperatorT op = original.get(i);
            int builtin = originalBuiltins.get(i);
            int[] in = op.getInputs().clone();
            boolean weighted = Ops.WEIGHTED_OPS.contains(builtin);
            if (quantized.contains(op)) {
                for (int s = 0; s < in.length; s++) {
                    int t = in[s];
                    if (t < 0 || (weighted && s >= 1) || e.typeOf(t) != TensorType.FLOAT32) {
                        continue;
                    }
                    if (e.isConstant(t)) {
                        TensorT src = e.tensor(t);
                        int copy = e.addTensor(src.getName() + "_" + cfg.typeName().toLowerCase(), cfg.activationType(),
                                src.getShape(), null, null);
                        constantData.put(copy, e.floats(t));
                        rangeSource.put(copy, -1);
                        in[s] = copy;
                    } else if (!inPlace.contains(t)) {
                        Integer q = quantizeOf.get(t);
                        if (q == null) {
                            TensorT src = e.tensor(t);
                            q = e.addTensor(src.getName() + "_" + cfg.typeName().toLowerCase(), cfg.activationType(),
                                    src.getShape(), null, null);
                            rangeSource.put(q, t);
                            e.insertOp(position(op), BuiltinOperator.QUANTIZE, BuiltinOptions.NONE, null,
                                    new int[] {t}, new int[] {q});
                            quantizeOf.put(t, q);
                        }
                        in[s] = q;
                    }
                }
            } else {
                for (int s = 0; s < in.length; s++) {
                    int t = in[s];
                    if (t >= 0 && inPlace.contains(t)) {
                        Integer d = dequantizeOf.get(t);
                        if (d == null) {
                            TensorT src = e.tensor(t);
                            d = e.addTensor(src.getName() + "_float", TensorType.FLOAT32, src.getShape(), null, null);
                            e.insertOp(position(op), BuiltinOperator.DEQUANTIZE, BuiltinOptions.NONE, null,
                                    new int[] {t}, new int[] {d});
                            dequantizeOf.put(t, d);
                        }
                        in[s] = d;
                    }
                }
            }
            op.setInputs(in);
        }
        for (int o = 0; o < e.outputs.length; o++) {
            int t = e.outputs[o];
            TensorT src = e.tensor(t);
            if (inPlace.contains(t) && !cfg.integerIo()) {
                int f = e.addTensor(src.getName() + "_float", TensorType.FLOAT32, src.getShape(), null, null);
                e.insertOp(e.ops.size(), BuiltinOperator.DEQUANTIZE, BuiltinOptions.NONE, null, new int[] {t},
                        new int[] {f});
                e.outputs[o] = f;
                e.ioReplacements.put(t, f);
            } else if (!inPlace.contains(t) && cfg.integerIo()) {
                int q = e.addTensor(src.getName() + "_" + cfg.typeName().toLowerCase(), cfg.activationType(),
                        src.getShape(), null, null);
                rangeSource.put(q, t);
                e.insertOp(e.ops.size(), BuiltinOperator.QUANTIZE, BuiltinOptions.NONE, null, new int[] {t},
                        new int[] {q});
                e.outputs[o] = q;
                e.ioReplacements.put(t, q);
            }
        }
        Map<Integer, QuantMath.Params> params = assignParams(quantized);
        for (Map.Entry<Integer, QuantMath.Params> p : params.entrySet()) {
            int t = p.getKey();
            TensorT tensor = e.tensor(t);
            tensor.setType(cfg.activationType());
            tensor.setQuantization(ModelEditor.quant(p.getValue()));
            float[] data = constantData.get(t);
            if (data != null) {
                int[] q = QuantMath.quantize(data, p.getValue().scale(), p.getValue().zeroPoint(), cfg.qmin(),
                        cfg.qmax());
                tensor.setBuffer(e.addBuffer(cfg.activationType() == TensorType.INT8 ? ModelEditor.int8Bytes(q)
                        : ModelEditor.int16Bytes(q)));
            }
            Integer source = rangeSource.get(t);
            TensorStats s = source != null && source >= 0 ? stats.get(source) : null;
            tensorReports.add(new QuantizationReport.TensorReport(tensor.getName(), cfg.typeName(),
                    s == null ? Double.NaN : s.min(), s == null ? Double.NaN : s.max(), p.getValue().scale(),
                    p.getValue().zeroPoint()));
        }
        for (int i = 0; i < original.size(); i++) {
            OperatorT op = original.get(i);
            int builtin = originalBuiltins.get(i);
            LayerPrecision precision = options.layerPrecisions().get(i);
            if (!quantized.contains(op)) {
                boolean half = precision == LayerPrecision.FLOAT16;
                double relErr = half ? float16Weights(op) : Double.NaN;
                layers.add(new QuantizationReport.LayerReport(i, Ops.name(builtin), "FLOAT32",
                        Ops.WEIGHTED_OPS.contains(builtin) ? (half ? "FLOAT16" : "FLOAT32") : "",
                        Ops.WEIGHTED_OPS.contains(builtin) ? relErr : Double.NaN));
                continue;
            }
            double relErr = Double.NaN;
            String weightType = "";
            if (Ops.WEIGHTED_OPS.contains(builtin)) {
                int bits = precision == LayerPrecision.INT4_WEIGHTS ? 4
                        : precision == LayerPrecision.INT8 ? 8 : cfg.weightBits();
                relErr = quantizeWeights(op, builtin, params, bits);
                weightType = bits == 4 ? "INT4" : "INT8";
            }
            if (builtin == BuiltinOperator.ADD && cfg.activationType() == TensorType.INT16) {
                AddOptionsT add = op.getBuiltinOptions() != null
                        && op.getBuiltinOptions().getValue() instanceof AddOptionsT a ? a : new AddOptionsT();
                add.setPotScaleInt16(false);
                op.getBuiltinOptions().setType(BuiltinOptions.AddOptions);
                op.getBuiltinOptions().setValue(add);
            }
            layers.add(new QuantizationReport.LayerReport(i, Ops.name(builtin), cfg.typeName(), weightType, relErr));
        }
        return e.finish("edgefleet quantized (" + cfg.typeName() + " activations, int" + cfg.weightBits()
                + " weights)");
    }

    /** float16 copies of a float operator's constant float32 inputs, expanded by DEQUANTIZE before it runs. */
    private double float16Weights(OperatorT op) {
        int[] in = op.getInputs().clone();
        double err = 0;
        double energy = 0;
        for (int s = 0; s < in.length; s++) {
            int t = in[s];
            if (t < 0 || e.typeOf(t) != TensorType.FLOAT32 || !e.isConstant(t)) {
                continue;
            }
            TensorT src = e.tensor(t);
            float[] values = e.floats(t);
            for (float v : values) {
                if (Math.abs(v) > 65504f) {
                    throw new QuantizationException(ErrorCode.UNSUPPORTED_MODE, "constant tensor '" + src.getName()
                            + "' holds " + v + ", outside the float16 range");
                }
                double d = v - QuantMath.fromHalf(QuantMath.toHalf(v));
                err += d * d;
                energy += (double) v * v;
            }
            int half = e.addTensor(src.getName() + "_fp16", TensorType.FLOAT16, src.getShape(), null,
                    ModelEditor.halfBytes(values));
            int expanded = e.addTensor(src.getName() + "_dequantized", TensorType.FLOAT32, src.getShape(), null,
                    null);
            e.insertOp(position(op), BuiltinOperator.DEQUANTIZE, BuiltinOptions.NONE, null, new int[] {half},
                    new int[] {expanded});
            in[s] = expanded;
        }
        op.setInputs(in);
        return energy > 0 ? err / energy : 0.0;
    }

    private int position(OperatorT op) {
        for (int i = 0; i < e.ops.size(); i++) {
            if (e.ops.get(i) == op) {
                return i;
            }
        }
        throw new IllegalStateException("operator vanished from the graph");
    }

    /**
     * Ranges, same-scale groups and fixed output parameters -> parameters per integer tensor. An input of a
     * same-scale operator whose fixed parameters conflict with its group's (e.g. TANH and LOGISTIC outputs
     * concatenated) is requantized by an inserted QUANTIZE operator instead of being merged.
     */
    private Map<Integer, QuantMath.Params> assignParams(Set<OperatorT> quantized) {
        Map<Integer, QuantMath.Params> fixed = new HashMap<>();
        List<OperatorT> snapshot = new ArrayList<>(e.ops);
        List<Integer> snapshotBuiltins = new ArrayList<>(e.builtins);
        for (int i = 0; i < snapshot.size(); i++) {
            QuantMath.Params f = fixedOutput(snapshotBuiltins.get(i));
            if (f != null && quantized.contains(snapshot.get(i))) {
                fixed.put(snapshot.get(i).getOutputs()[0], f);
            }
        }
        Map<Integer, Integer> parent = new HashMap<>();
        for (int t : rangeSource.keySet()) {
            parent.put(t, t);
        }
        Map<Integer, QuantMath.Params> rootFixed = new HashMap<>(fixed);
        for (int i = 0; i < snapshot.size(); i++) {
            OperatorT op = snapshot.get(i);
            int builtin = snapshotBuiltins.get(i);
            if (!quantized.contains(op) || !SAME_SCALE.contains(builtin)) {
                continue;
            }
            int out = op.getOutputs()[0];
            int[] in = op.getInputs().clone();
            int n = builtin == BuiltinOperator.CONCATENATION ? in.length : 1;
            for (int s = 0; s < n; s++) {
                if (!parent.containsKey(in[s])) {
                    continue;
                }
                QuantMath.Params a = rootFixed.get(find(parent, in[s]));
                QuantMath.Params b = rootFixed.get(find(parent, out));
                if (a != null && b != null && !sameParams(a, b)) {
                    TensorT src = e.tensor(in[s]);
                    int r = e.addTensor(src.getName() + "_requantized", cfg.activationType(), src.getShape(), null,
                            null);
                    rangeSource.put(r, rangeSource.get(in[s]));
                    parent.put(r, r);
                    e.insertOp(position(op), BuiltinOperator.QUANTIZE, BuiltinOptions.NONE, null, new int[] {in[s]},
                            new int[] {r});
                    in[s] = r;
                }
                int ra = find(parent, in[s]);
                int rb = find(parent, out);
                if (ra != rb) {
                    QuantMath.Params f = rootFixed.get(ra) != null ? rootFixed.get(ra) : rootFixed.get(rb);
                    parent.put(ra, rb);
                    if (f != null) {
                        rootFixed.put(rb, f);
                    }
                }
            }
            op.setInputs(in);
        }
        Map<Integer, float[]> groupRange = new HashMap<>();
        for (int t : rangeSource.keySet()) {
            groupRange.merge(find(parent, t), range(t),
                    (x, y) -> new float[] {Math.min(x[0], y[0]), Math.max(x[1], y[1])});
        }
        Map<Integer, QuantMath.Params> result = new HashMap<>();
        for (int t : rangeSource.keySet()) {
            int root = find(parent, t);
            QuantMath.Params p = rootFixed.get(root);
            if (p == null) {
                float[] r = groupRange.get(root);
                p = cfg.activationType() == TensorType.INT8 ? QuantMath.asymmetric(r[0], r[1], -128, 127)
                        : QuantMath.symmetric(r[0], r[1], 32767);
            }
            result.put(t, p);
        }
        return result;
    }

    private static boolean sameParams(QuantMath.Params a, QuantMath.Params b) {
        return a.scale() == b.scale() && a.zeroPoint() == b.zeroPoint();
    }

    private QuantMath.Params fixedOutput(int builtin) {
        boolean int8 = cfg.activationType() == TensorType.INT8;
        return switch (builtin) {
            case BuiltinOperator.SOFTMAX, BuiltinOperator.LOGISTIC -> int8 ? QuantMath.Params.perTensor(1f / 256,
                    -128) : QuantMath.Params.perTensor(1f / 32768, 0);
            case BuiltinOperator.TANH -> int8 ? QuantMath.Params.perTensor(1f / 128, 0)
                    : QuantMath.Params.perTensor(1f / 32768, 0);
            default -> null;
        };
    }

    private float[] range(int t) {
        int source = rangeSource.get(t);
        if (source < 0) {
            float[] data = constantData.get(t);
            float lo = 0;
            float hi = 0;
            for (float v : data) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            return new float[] {lo, hi};
        }
        TensorStats s = stats.get(source);
        if (s == null) {
            throw new IllegalStateException("no calibration statistics for tensor " + source);
        }
        int levels = cfg.activationType() == TensorType.INT8 ? 256 : 65536;
        return s.range(options.rangeEstimator(), options.percentile(), levels);
    }

    private static int find(Map<Integer, Integer> parent, int t) {
        int root = t;
        while (parent.get(root) != root) {
            root = parent.get(root);
        }
        parent.put(t, root);
        return root;
    }

    /** Quantizes the weights (and bias) of a weighted operator; returns the weights' relative error. */
    private double quantizeWeights(OperatorT op, int builtin, Map<Integer, QuantMath.Params> params, int bits) {
        int[] in = op.getInputs().clone();
        int wIndex = in[1];
        TensorT w = e.tensor(wIndex);
        float[] weights = e.floats(wIndex);
        int[] shape = w.getShape();
        int axis = Ops.weightChannelAxis(builtin);
        int qmax = bits == 4 ? 7 : 127;
        float[] wScales = QuantMath.channelScales(weights, shape, axis, qmax);
        int[] q = QuantMath.quantizeChannels(weights, shape, axis, wScales, qmax);
        long[] zeros = new long[wScales.length];
        byte wType = bits == 4 ? TensorType.INT4 : TensorType.INT8;
        byte[] bytes = bits == 4 ? ModelEditor.int4Bytes(q) : ModelEditor.int8Bytes(q);
        int newW = e.addTensor(w.getName() + (bits == 4 ? "_int4" : "_int8"), wType, shape,
                ModelEditor.quant(new QuantMath.Params(wScales, zeros, axis)), bytes);
        in[1] = newW;
        double err = 0;
        int channels = shape[axis];
        int inner = 1;
        for (int i = axis + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        for (int i = 0; i < weights.length; i++) {
            double d = weights[i] - q[i] * (double) wScales[(i / inner) % channels];
            err += d * d;
        }
        double energy = QuantMath.energy(weights);
        if (in.length > 2 && in[2] >= 0) {
            QuantMath.Params inParams = params.get(in[0]);
            if (inParams == null) {
                throw new IllegalStateException("input of a quantized operator has no quantization parameters");
            }
            float[] bias = e.floats(in[2]);
            if (bias.length != channels) {
                throw new QuantizationException(ErrorCode.CORRUPT_MODEL, "bias of " + Ops.name(builtin) + " has "
                        + bias.length + " values for " + channels + " output channels");
            }
            if (options.biasCorrection()) {
                bias = correctBias(bias, weights, q, wScales, shape, builtin, inner, channels, in[0]);
            }
            float[] bScales = QuantMath.biasScales(inParams.scale(), wScales);
            boolean int64 = cfg.activationType() == TensorType.INT16;
            long limit = int64 ? Long.MAX_VALUE / 2 : Integer.MAX_VALUE;
            long[] qb = new long[bias.length];
            int clamped = 0;
            for (int c = 0; c < bias.length; c++) {
                long v = QuantMath.round((double) bias[c] / bScales[c]);
                if (v > limit || v < -limit) {
                    clamped++;
                    v = Math.max(-limit, Math.min(limit, v));
                }
                qb[c] = v;
            }
            if (clamped > 0) {
                warnings.add(clamped + " bias value(s) of " + Ops.name(builtin) + " '" + e.tensor(in[2]).getName()
                        + "' were clamped to the bias integer range");
            }
            byte[] bb;
            if (int64) {
                bb = ModelEditor.int64Bytes(qb);
            } else {
                int[] qi = new int[qb.length];
                for (int c = 0; c < qb.length; c++) {
                    qi[c] = (int) qb[c];
                }
                bb = ModelEditor.int32Bytes(qi);
            }
            TensorT b = e.tensor(in[2]);
            in[2] = e.addTensor(b.getName() + (int64 ? "_int64" : "_int32"), int64 ? TensorType.INT64
                    : TensorType.INT32, b.getShape(), ModelEditor.quant(new QuantMath.Params(bScales,
                            new long[bScales.length], 0)), bb);
        }
        op.setInputs(in);
        return energy > 0 ? err / energy : 0.0;
    }

    /**
     * Bias correction: the quantized operator's expected output differs from the float one by (W - Q(W)) E[x]; adding
     * that per output channel to the bias removes the bias of the error. E[x] is the per-channel mean of the
     * operator's input over the calibration set; operators whose input channels cannot be matched to the weights
     * (e.g. a FULLY_CONNECTED flattening a 4-D input) are left unchanged.
     */
    private float[] correctBias(float[] bias, float[] weights, int[] q, float[] wScales, int[] shape, int builtin,
            int inner, int channels, int input) {
        Integer source = rangeSource.get(input);
        TensorStats s = source == null || source < 0 ? null : stats.get(source);
        if (s == null) {
            return bias;
        }
        double[] mean = s.channelMeans();
        int last = shape[shape.length - 1];
        boolean depthwise = builtin == BuiltinOperator.DEPTHWISE_CONV_2D;
        if (depthwise ? last % mean.length != 0 : last != mean.length) {
            return bias;
        }
        int multiplier = depthwise ? last / mean.length : 1;
        double[] delta = new double[channels];
        for (int i = 0; i < weights.length; i++) {
            int oc = (i / inner) % channels;
            int ic = depthwise ? (i % last) / multiplier : i % last;
            delta[oc] += (weights[i] - q[i] * (double) wScales[oc]) * mean[ic];
        }
        float[] corrected = bias.clone();
        for (int c = 0; c < channels; c++) {
            corrected[c] = (float) (bias[c] + delta[c]);
        }
        return corrected;
    }
}
