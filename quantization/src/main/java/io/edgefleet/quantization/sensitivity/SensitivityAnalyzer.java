package io.edgefleet.quantization.sensitivity;

import io.edgefleet.quantization.ErrorCode;
import io.edgefleet.quantization.QuantizationException;
import io.edgefleet.quantization.eval.Evaluator;
import io.edgefleet.quantization.model.OpInfo;
import io.edgefleet.quantization.model.Ops;
import io.edgefleet.quantization.model.TfliteModel;
import io.edgefleet.quantization.quantize.CalibratedModel;
import io.edgefleet.quantization.quantize.LayerPrecision;
import io.edgefleet.quantization.quantize.QuantMath;
import io.edgefleet.quantization.quantize.QuantizationMode;
import io.edgefleet.quantization.quantize.QuantizedModel;
import io.edgefleet.quantization.quantize.Quantizer;
import io.edgefleet.quantization.quantize.QuantizerOptions;
import io.edgefleet.quantization.runtime.TfliteRunner;
import io.edgefleet.quantization.samples.SampleSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per-layer sensitivity analysis (HAWQ-style input to the precision planner): each operator is quantized alone to
 * each requested precision, the resulting model is run in the real runtime on an evaluation set and compared with
 * the float model.
 */
public final class SensitivityAnalyzer {
    private SensitivityAnalyzer() {
    }

    /**
     * Measures every (operator, precision) pair. FLOAT32 is the baseline and is not measured; FLOAT16 and
     * INT4_WEIGHTS are measured for weighted operators only (elsewhere they equal FLOAT32 / INT8).
     */
    public static List<LayerSensitivity> analyze(byte[] floatModel, SampleSet calibration, SampleSet eval,
            Set<LayerPrecision> precisions, QuantizerOptions options) {
        return analyze(floatModel, calibration, eval, precisions, options, ProgressListener.NONE);
    }

    /** As {@link #analyze(byte[], SampleSet, SampleSet, Set, QuantizerOptions)}, reporting each measured pair. */
    public static List<LayerSensitivity> analyze(byte[] floatModel, SampleSet calibration, SampleSet eval,
            Set<LayerPrecision> precisions, QuantizerOptions options, ProgressListener progress) {
        if (eval == null) {
            throw new QuantizationException(ErrorCode.INVALID_SAMPLES, "an evaluation set is required");
        }
        return analyze(Quantizer.calibrate(floatModel, calibration, options), eval, precisions, options, progress);
    }

    /**
     * Measures every (operator, precision) pair of an already calibrated model (see {@link Quantizer#calibrate}),
     * so that one calibration serves both the analysis and the later mixed-precision builds.
     */
    public static List<LayerSensitivity> analyze(CalibratedModel calibrated, SampleSet eval,
            Set<LayerPrecision> precisions, QuantizerOptions options, ProgressListener progress) {
        if (eval == null) {
            throw new QuantizationException(ErrorCode.INVALID_SAMPLES, "an evaluation set is required");
        }
        if (precisions == null || options == null || progress == null) {
            throw new QuantizationException(ErrorCode.INVALID_ARGUMENT, "precisions, options and progress are required");
        }
        TfliteModel model = calibrated.model();
        float[][] reference;
        try (TfliteRunner runner = TfliteRunner.load(model.bytes(), options.threads())) {
            runner.requireCompatible(eval);
            reference = runner.inferAll(eval);
        }
        List<Map.Entry<OpInfo, LayerPrecision>> pairs = new ArrayList<>();
        for (OpInfo op : model.ops()) {
            for (LayerPrecision p : measuredPrecisions(op, precisions)) {
                pairs.add(Map.entry(op, p));
            }
        }
        List<LayerSensitivity> result = new ArrayList<>();
        for (Map.Entry<OpInfo, LayerPrecision> pair : pairs) {
            OpInfo op = pair.getKey();
            LayerPrecision p = pair.getValue();
            Map<Integer, LayerPrecision> plan = new java.util.HashMap<>();
            for (OpInfo other : model.ops()) {
                plan.put(other.index(), LayerPrecision.FLOAT32);
            }
            plan.put(op.index(), p);
            QuantizedModel q = Quantizer.quantize(calibrated, QuantizationMode.FULL_INT8,
                    options.withLayerPrecisions(plan));
            double weightError = q.report().layers().get(op.index()).weightRelativeError();
            result.add(compare(op, p, q.tflite(), eval, reference, options.threads(), weightError));
            progress.onStep(result.size(), pairs.size(), op.layerId() + " @ " + p);
        }
        return result;
    }

    /**
     * The precisions measured for one operator: FLOAT32 is the baseline and never measured; FLOAT16 and
     * INT4_WEIGHTS only for weighted operators (elsewhere they behave as FLOAT32 / INT8).
     */
    public static List<LayerPrecision> measuredPrecisions(OpInfo op, Set<LayerPrecision> precisions) {
        boolean weighted = Ops.WEIGHTED_OPS.contains(op.builtinCode());
        List<LayerPrecision> result = new ArrayList<>();
        for (LayerPrecision p : LayerPrecision.values()) {
            if (!precisions.contains(p) || p == LayerPrecision.FLOAT32) {
                continue;
            }
            if (!weighted && (p == LayerPrecision.FLOAT16 || p == LayerPrecision.INT4_WEIGHTS)) {
                continue;
            }
            result.add(p);
        }
        return result;
    }

    private static LayerSensitivity compare(OpInfo op, LayerPrecision p, byte[] model, SampleSet eval,
            float[][] reference, int threads, double weightError) {
        try (TfliteRunner runner = TfliteRunner.load(model, threads)) {
            int agree = 0;
            double mse = 0;
            double kl = 0;
            for (int i = 0; i < eval.count(); i++) {
                float[] out = runner.infer(eval.inputs()[i]);
                float[] ref = reference[i];
                if (Evaluator.argmax(out) == Evaluator.argmax(ref)) {
                    agree++;
                }
                double se = 0;
                for (int k = 0; k < out.length; k++) {
                    double d = out[k] - ref[k];
                    se += d * d;
                }
                mse += se / out.length;
                kl += kl(probabilities(ref), probabilities(out));
            }
            int n = eval.count();
            return new LayerSensitivity(op.index(), op.name(), p, (double) agree / n, mse / n, kl / n, weightError);
        }
    }

    /** The values themselves if they already form a distribution, otherwise their softmax. */
    static double[] probabilities(float[] v) {
        double sum = 0;
        boolean nonNegative = true;
        for (float x : v) {
            sum += x;
            nonNegative &= x >= 0;
        }
        double[] p = new double[v.length];
        if (nonNegative && Math.abs(sum - 1.0) < 1e-2) {
            for (int i = 0; i < v.length; i++) {
                p[i] = v[i] / sum;
            }
            return p;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (float x : v) {
            max = Math.max(max, x);
        }
        double z = 0;
        for (int i = 0; i < v.length; i++) {
            p[i] = Math.exp(v[i] - max);
            z += p[i];
        }
        for (int i = 0; i < v.length; i++) {
            p[i] /= z;
        }
        return p;
    }

    static double kl(double[] p, double[] q) {
        final double eps = 1e-8;
        double d = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] > 0) {
                d += p[i] * Math.log((p[i] + eps) / (q[i] + eps));
            }
        }
        return Math.max(0, d);
    }

    /** Data-free proxy: ||W - Q(W)||^2 of every weighted operator at INT8, INT4_WEIGHTS and FLOAT16. */
    public static List<WeightProxy> weightProxy(byte[] floatModel) {
        TfliteModel model = TfliteModel.parse(floatModel);
        model.requireFloatModelSupported();
        model.requireFiniteWeights();
        List<WeightProxy> result = new ArrayList<>();
        for (OpInfo op : model.ops()) {
            if (!Ops.WEIGHTED_OPS.contains(op.builtinCode())) {
                continue;
            }
            int wt = op.inputs()[1];
            float[] w = model.constantFloats(wt);
            int[] shape = model.tensor(wt).shape();
            int axis = Ops.weightChannelAxis(op.builtinCode());
            double energy = QuantMath.energy(w);
            double e8 = QuantMath.weightError(w, shape, axis, 127);
            double e4 = QuantMath.weightError(w, shape, axis, 7);
            double e16 = 0;
            for (float v : w) {
                double d = v - QuantMath.fromHalf(QuantMath.toHalf(v));
                e16 += d * d;
            }
            result.add(new WeightProxy(op.index(), op.name(), LayerPrecision.INT8, e8, rel(e8, energy), w.length));
            result.add(new WeightProxy(op.index(), op.name(), LayerPrecision.INT4_WEIGHTS, e4, rel(e4, energy),
                    w.length));
            result.add(new WeightProxy(op.index(), op.name(), LayerPrecision.FLOAT16, e16, rel(e16, energy),
                    w.length));
        }
        return result;
    }

    private static double rel(double err, double energy) {
        return energy > 0 ? err / energy : 0;
    }
}
