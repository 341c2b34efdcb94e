package io.edgefleet.quantization.quantize;

import io.edgefleet.quantization.ErrorCode;
import io.edgefleet.quantization.QuantizationException;
import io.edgefleet.quantization.model.OpInfo;
import io.edgefleet.quantization.model.Ops;
import io.edgefleet.quantization.model.TfliteModel;
import io.edgefleet.quantization.runtime.TfliteRunner;
import io.edgefleet.quantization.samples.SampleSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.FullyConnectedOptionsT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.TensorT;
import org.tensorflow.lite.schema.TensorType;

/**
 * Entry point of the quantization engine: turns a float32 TFLite model into a quantized one.
 *
 * <p>Every produced model is loaded and run by the real TFLite runtime before it is returned; a model the runtime
 * rejects is never returned (the call fails with {@link ErrorCode#RUNTIME_ERROR} or
 * {@link ErrorCode#UNSUPPORTED_MODE}).
 */
public final class Quantizer {
    private static final int VERIFY_SAMPLES = 4;

    private Quantizer() {
    }

    /**
     * Quantizes a float model.
     *
     * @param floatModel float32 .tflite bytes
     * @param mode the recipe
     * @param calibration calibration samples (required for calibrated modes, optional otherwise)
     * @param options range estimator, threads, mixed-precision float layers, ...
     */
    public static QuantizedModel quantize(byte[] floatModel, QuantizationMode mode, SampleSet calibration,
            QuantizerOptions options) {
        if (mode == null || options == null) {
            throw new QuantizationException(ErrorCode.INVALID_ARGUMENT, "mode and options are required");
        }
        TfliteModel model = TfliteModel.parse(floatModel);
        model.requireFloatModelSupported();
        model.requireFiniteWeights();
        validatePlan(model, mode, options);
        SampleSet samples = null;
        if (calibration != null) {
            samples = validateSamples(model, calibration, options);
        } else if (mode.needsCalibration()) {
            throw new QuantizationException(ErrorCode.INVALID_SAMPLES, mode + " needs a calibration sample set");
        }
        Map<Integer, TensorStats> stats = null;
        if (mode.needsCalibration()) {
            stats = Calibrator.calibrate(model, samples, options.threads(),
                    options.rangeEstimator() != RangeEstimator.MIN_MAX, options.histogramBins());
        }
        return build(model, mode, samples, stats, options);
    }

    /** Builds and verifies a model from already-collected calibration statistics (validated inputs). */
    static QuantizedModel build(TfliteModel model, QuantizationMode mode, SampleSet samples,
            Map<Integer, TensorStats> stats, QuantizerOptions options) {
        List<String> warnings = new ArrayList<>();
        byte[] out;
        List<QuantizationReport.LayerReport> layers;
        List<QuantizationReport.TensorReport> tensors = List.of();
        int used = 0;
        switch (mode) {
            case FLOAT16 -> {
                layers = new ArrayList<>();
                out = float16(model, layers);
            }
            case DYNAMIC_RANGE_INT8 -> {
                layers = new ArrayList<>();
                out = dynamicRange(model, layers);
            }
            case FULL_INT8, FULL_INT8_INT8_IO, INT16X8, INT4_WEIGHTS -> {
                used = samples.count();
                IntegerQuantizer.Config cfg = switch (mode) {
                    case FULL_INT8 -> new IntegerQuantizer.Config(TensorType.INT8, 8, false);
                    case FULL_INT8_INT8_IO -> new IntegerQuantizer.Config(TensorType.INT8, 8, true);
                    case INT16X8 -> new IntegerQuantizer.Config(TensorType.INT16, 8, false);
                    default -> new IntegerQuantizer.Config(TensorType.INT8, 4, false);
                };
                IntegerQuantizer q = new IntegerQuantizer(model, stats, cfg, options, warnings);
                out = q.run();
                layers = q.layers();
                tensors = q.tensorReports();
            }
            default -> throw new QuantizationException(ErrorCode.UNSUPPORTED_MODE, "unknown mode " + mode);
        }
        verify(out, mode, samples, options.threads());
        QuantizationReport report = new QuantizationReport(mode, options.rangeEstimator(), used, model.sizeBytes(),
                out.length, layers, tensors, warnings);
        return new QuantizedModel(out, mode, report);
    }

    /**
     * Validates a float model and a calibration set and records activation statistics in the real runtime once;
     * histograms are collected too when {@code options} uses a PERCENTILE or MSE estimator.
     */
    public static CalibratedModel calibrate(byte[] floatModel, SampleSet calibration, QuantizerOptions options) {
        if (calibration == null) {
            throw new QuantizationException(ErrorCode.INVALID_SAMPLES, "a calibration sample set is required");
        }
        TfliteModel model = TfliteModel.parse(floatModel);
        model.requireFloatModelSupported();
        model.requireFiniteWeights();
        SampleSet samples = validateSamples(model, calibration, options);
        boolean histograms = options.rangeEstimator() != RangeEstimator.MIN_MAX;
        return new CalibratedModel(model, samples, Calibrator.calibrate(model, samples, options.threads(),
                histograms, options.histogramBins()), histograms);
    }

    /** Builds a quantized variant of an already calibrated model (any mode, any per-layer plan in the options). */
    public static QuantizedModel quantize(CalibratedModel calibrated, QuantizationMode mode, QuantizerOptions options) {
        if (mode == null || options == null) {
            throw new QuantizationException(ErrorCode.INVALID_ARGUMENT, "mode and options are required");
        }
        if (options.rangeEstimator() != RangeEstimator.MIN_MAX && !calibrated.hasHistograms()) {
            throw new QuantizationException(ErrorCode.INVALID_ARGUMENT, options.rangeEstimator()
                    + " needs histograms: calibrate with the same estimator");
        }
        validatePlan(calibrated.model(), mode, options);
        return build(calibrated.model(), mode, calibrated.samples(), calibrated.stats(), options);
    }

    /** Quantizes with {@link QuantizerOptions#defaults()}. */
    public static QuantizedModel quantize(byte[] floatModel, QuantizationMode mode, SampleSet calibration) {
        return quantize(floatModel, mode, calibration, QuantizerOptions.defaults());
    }

    static void validatePlan(TfliteModel model, QuantizationMode mode, QuantizerOptions options) {
        for (Map.Entry<Integer, LayerPrecision> entry : options.layerPrecisions().entrySet()) {
            int layer = entry.getKey();
            if (layer < 0 || layer >= model.ops().size()) {
                throw new QuantizationException(ErrorCode.INVALID_ARGUMENT, "layer " + layer
                        + " does not exist (model has " + model.ops().size() + " operators)");
            }
            if (!mode.needsCalibration()) {
                throw new QuantizationException(ErrorCode.INVALID_ARGUMENT,
                        "per-layer precisions need an integer mode, not " + mode);
            }
            if (mode == QuantizationMode.INT16X8 && !entry.getValue().isFloat()) {
                throw new QuantizationException(ErrorCode.INVALID_ARGUMENT, "layer " + layer + " cannot be "
                        + entry.getValue() + " in INT16X8 mode (only FLOAT32 / FLOAT16 overrides)");
            }
        }
    }

    static SampleSet validateSamples(TfliteModel model, SampleSet calibration, QuantizerOptions options) {
        long expected = model.input().elements();
        if (calibration.sampleSize() != expected) {
            throw new QuantizationException(ErrorCode.CALIBRATION_MISMATCH, "calibration samples of shape "
                    + Arrays.toString(calibration.sampleShape()) + " do not match the model input shape "
                    + Arrays.toString(model.input().shape()));
        }
        calibration.requireFinite();
        return calibration.count() > options.maxCalibrationSamples()
                ? calibration.slice(0, options.maxCalibrationSamples()) : calibration;
    }

    /** Loads the produced model in the real runtime and runs a few samples; never lets a broken model out. */
    private static void verify(byte[] model, QuantizationMode mode, SampleSet samples, int threads) {
        try (TfliteRunner runner = TfliteRunner.load(model, threads)) {
            int n = samples == null ? 1 : Math.min(VERIFY_SAMPLES, samples.count());
            for (int i = 0; i < n; i++) {
                float[] input = samples == null ? new float[runner.inputSize()] : samples.inputs()[i];
                for (float v : runner.infer(input)) {
                    if (!Float.isFinite(v)) {
                        throw new QuantizationException(ErrorCode.NON_FINITE_VALUES,
                                "the " + mode + " model produced a non-finite output (" + v + ")");
                    }
                }
            }
        } catch (QuantizationException ex) {
            if (ex.code() == ErrorCode.RUNTIME_ERROR && mode == QuantizationMode.INT4_WEIGHTS) {
                throw new QuantizationException(ErrorCode.UNSUPPORTED_MODE, "the bundled TFLite runtime does not "
                        + "accept INT4 weights for an operator of this model: " + ex.getMessage(), ex);
            }
            if (ex.code() == ErrorCode.RUNTIME_ERROR) {
                throw new QuantizationException(ErrorCode.RUNTIME_ERROR, "the " + mode
                        + " model was rejected by the TFLite runtime: " + ex.getMessage(), ex);
            }
            throw ex;
        }
    }

    /** float16 constants feeding float32 kernels through DEQUANTIZE operators. */
    private static byte[] float16(TfliteModel model, List<QuantizationReport.LayerReport> layers) {
        ModelEditor e = new ModelEditor(model.copyModelT());
        int position = 0;
        int tensorCount = e.tensors.size();
        for (int t = 0; t < tensorCount; t++) {
            TensorT tensor = e.tensor(t);
            if (tensor.getType() != TensorType.FLOAT32 || !e.isConstant(t) || model.consumers(t).isEmpty()) {
                continue;
            }
            float[] values = e.floats(t);
            for (float v : values) {
                if (Math.abs(v) > 65504f) {
                    throw new QuantizationException(ErrorCode.UNSUPPORTED_MODE, "constant tensor '"
                            + tensor.getName() + "' holds " + v + ", outside the float16 range");
                }
            }
            int half = e.addTensor(tensor.getName() + "_fp16", TensorType.FLOAT16, tensor.getShape(), null,
                    ModelEditor.halfBytes(values));
            tensor.setBuffer(0);
            e.insertOp(position++, BuiltinOperator.DEQUANTIZE, BuiltinOptions.NONE, null, new int[] {half},
                    new int[] {t});
        }
        for (OpInfo op : model.ops()) {
            boolean weighted = Ops.WEIGHTED_OPS.contains(op.builtinCode());
            layers.add(new QuantizationReport.LayerReport(op.index(), op.name(), "FLOAT32", weighted ? "FLOAT16" : "",
                    weighted ? halfError(model.constantFloats(op.inputs()[1])) : Double.NaN));
        }
        return e.finish("edgefleet quantized (float16 weights)");
    }

    private static double halfError(float[] w) {
        double err = 0;
        for (float v : w) {
            double d = v - QuantMath.fromHalf(QuantMath.toHalf(v));
            err += d * d;
        }
        double energy = QuantMath.energy(w);
        return energy > 0 ? err / energy : 0;
    }

    /** int8 per-channel weights for weighted operators, float activations (hybrid kernels). */
    private static byte[] dynamicRange(TfliteModel model, List<QuantizationReport.LayerReport> layers) {
        ModelEditor e = new ModelEditor(model.copyModelT());
        List<OperatorT> ops = new ArrayList<>(e.ops);
        for (int i = 0; i < ops.size(); i++) {
            OperatorT op = ops.get(i);
            int builtin = e.builtins.get(i);
            if (!Ops.WEIGHTED_OPS.contains(builtin)) {
                layers.add(new QuantizationReport.LayerReport(i, Ops.name(builtin), "FLOAT32", "", Double.NaN));
                continue;
            }
            int[] in = op.getInputs().clone();
            TensorT w = e.tensor(in[1]);
            float[] weights = e.floats(in[1]);
            int axis = Ops.weightChannelAxis(builtin);
            float[] scales = QuantMath.channelScales(weights, w.getShape(), axis, 127);
            int[] q = QuantMath.quantizeChannels(weights, w.getShape(), axis, scales, 127);
            in[1] = e.addTensor(w.getName() + "_int8", TensorType.INT8, w.getShape(),
                    ModelEditor.quant(new QuantMath.Params(scales, new long[scales.length], axis)),
                    ModelEditor.int8Bytes(q));
            op.setInputs(in);
            if (builtin == BuiltinOperator.FULLY_CONNECTED) {
                FullyConnectedOptionsT fc = op.getBuiltinOptions() != null
                        && op.getBuiltinOptions().getValue() instanceof FullyConnectedOptionsT f ? f
                                : new FullyConnectedOptionsT();
                fc.setAsymmetricQuantizeInputs(true);
                op.getBuiltinOptions().setType(BuiltinOptions.FullyConnectedOptions);
                op.getBuiltinOptions().setValue(fc);
            }
            double energy = QuantMath.energy(weights);
            double err = QuantMath.weightError(weights, w.getShape(), axis, 127);
            layers.add(new QuantizationReport.LayerReport(i, Ops.name(builtin), "FLOAT32", "INT8",
                    energy > 0 ? err / energy : 0));
        }
        return e.finish("edgefleet quantized (dynamic-range int8 weights)");
    }
}
