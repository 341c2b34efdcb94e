package io.edgefleet.quantizer.mixed;

import io.edgefleet.planner.Precision;
import io.edgefleet.planner.latency.LatencyTable;
import io.edgefleet.quantization.model.OpInfo;
import io.edgefleet.quantization.model.TfliteModel;
import io.edgefleet.quantization.quantize.CalibratedModel;
import io.edgefleet.quantization.quantize.LayerPrecision;
import io.edgefleet.quantization.quantize.QuantizationMode;
import io.edgefleet.quantization.quantize.Quantizer;
import io.edgefleet.quantization.quantize.QuantizerOptions;
import io.edgefleet.quantization.runtime.TfliteRunner;
import io.edgefleet.quantization.samples.SampleSet;
import io.edgefleet.quantization.sensitivity.ProgressListener;
import io.edgefleet.quantization.sensitivity.SensitivityAnalyzer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.tensorflow.lite.schema.BufferT;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.BuiltinOptionsUnion;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.OperatorCodeT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.ReshapeOptionsT;
import org.tensorflow.lite.schema.SubGraphT;
import org.tensorflow.lite.schema.TensorT;
import org.tensorflow.lite.schema.TensorType;

/**
 * Host latency table measured one layer at a time: for each operator and each of its candidate precisions, the
 * operator is cut out as a single-operator model ({@link SingleOperatorModels}: same shapes, same weights), that
 * model is calibrated on the activations the operator sees in the full float model (so its input / output ranges are
 * the full model's calibrated ranges), quantized at the precision and timed on its own in the TFLite runtime
 * ({@link TfliteRunner}, same XNNPACK delegate as every other model): warm-up, then the median of N inferences.
 *
 * <p>Models per precision: FLOAT32 = the float operator; FLOAT16 = float kernel with float16 weights (DEQUANTIZE of
 * the constants, as in a mixed build); INT8 / INT4_WEIGHTS = the integer operator between a QUANTIZE of its float
 * input and a DEQUANTIZE of its output (the quantizer's FULL_INT8 build; all three run in the runtime's native
 * kernels).
 *
 * <p>A timed inference also pays costs that are not the layer's: the runner call itself (JNI, tensor lookups, Invoke
 * dispatch), copying the float input in and the float output out, and for integer layers the QUANTIZE / DEQUANTIZE
 * around it. These are measured with I/O probes of the same shape — {@code x → RESHAPE → y} in float32 for float
 * layers, {@code x → QUANTIZE → RESHAPE(int8) → DEQUANTIZE → y} for integer layers, one probe at the layer's input
 * shape and one at its output shape — and each value is {@code median(layer model) − (probe(input) +
 * probe(output)) / 2}, clamped at 0: each probe carries the conversions of one shape twice (in and out), so the mean
 * of the two carries one call, the input-side and the output-side conversions. The values are therefore the
 * operator's own cost and add up across layers; boundary QUANTIZE / DEQUANTIZE between layers of different precision
 * and the model's single input / output copy are not in any layer.
 *
 * <p>The values are host micro-benchmarks standing in for a hardware class, so the table is built with
 * {@link LatencyTable#seeded} ({@link LatencyTable.Source#SEEDED}: the planner's source for host-benchmarked
 * values); {@link LatencyTable.Source#MEASURED} is reserved for latencies measured on devices of the class (fleet
 * telemetry), which {@link LatencyTable#merge} lets override these.
 */
public final class PerLayerLatencyProfiler {
    /** Untimed inferences before the timed ones when not given. */
    public static final int DEFAULT_WARMUP = 20;

    private PerLayerLatencyProfiler() {
    }

    /**
     * Timing settings.
     *
     * @param warmup untimed inferences per model
     * @param runs timed inferences per model (the median is kept)
     * @param threads interpreter threads
     */
    public record Settings(int warmup, int runs, int threads) {
        public Settings {
            if (warmup < 0 || runs < 1 || threads < 1) {
                throw new QuantizerCliException(CliErrorCode.INVALID_ARGUMENT,
                        "latency warm-up must be >= 0, runs >= 1 and threads >= 1");
            }
        }
    }

    /**
     * One timed (layer, precision) pair.
     *
     * @param layer operator index
     * @param precision the precision it was built at
     * @param modelBytes size of the single-operator model
     * @param medianMicros median inference time of the single-operator model
     * @param ioMicros mean of the input-shape and output-shape I/O probes (what is subtracted)
     * @param micros the table value: median minus the I/O probes, at least 0
     */
    public record LayerTiming(int layer, LayerPrecision precision, int modelBytes, double medianMicros,
            double ioMicros, double micros) {
    }

    /**
     * @param table the latency table (one row per operator: FLOAT32 and every candidate precision)
     * @param timings every timed pair, in operator order
     */
    public record Result(LatencyTable table, List<LayerTiming> timings) {
        public Result {
            timings = List.copyOf(timings);
        }
    }

    /** {@link #measure} with {@link #DEFAULT_WARMUP} warm-up runs and no progress output; returns the table. */
    public static LatencyTable profile(CalibratedModel calibrated, QuantizerOptions options,
            Set<LayerPrecision> precisions, int runs, int threads, String hardwareClass) {
        return measure(calibrated, options, precisions, new Settings(DEFAULT_WARMUP, runs, threads), hardwareClass,
                ProgressListener.NONE).table();
    }

    /**
     * Times every operator of the calibrated model at FLOAT32 and at each of its candidate precisions among
     * {@code precisions} ({@link SensitivityAnalyzer#measuredPrecisions}).
     *
     * @param progress one step per operator
     */
    public static Result measure(CalibratedModel calibrated, QuantizerOptions options, Set<LayerPrecision> precisions,
            Settings settings, String hardwareClass, ProgressListener progress) {
        TfliteModel model = calibrated.model();
        Map<String, Double> probes = new HashMap<>();
        Map<String, Map<Precision, Double>> micros = new TreeMap<>();
        List<LayerTiming> timings = new ArrayList<>();
        for (OpInfo op : model.ops()) {
            List<LayerPrecision> candidates = new ArrayList<>();
            candidates.add(LayerPrecision.FLOAT32);
            candidates.addAll(SensitivityAnalyzer.measuredPrecisions(op, precisions));
            SingleOperatorModels.LayerModel layer = SingleOperatorModels.extract(model, op.index(),
                    calibrated.samples(), options.threads());
            Map<LayerPrecision, byte[]> built = build(layer, candidates, options);
            float[] input = layer.inputs().inputs()[0];
            int[] inShape = model.tensor(layer.inputTensor()).shape();
            int[] outShape = model.tensor(op.outputs()[0]).shape();
            Map<Precision, Double> row = new EnumMap<>(Precision.class);
            for (Map.Entry<LayerPrecision, byte[]> e : built.entrySet()) {
                boolean integer = !e.getKey().isFloat();
                double io = (probe(probes, inShape, integer, options, settings)
                        + probe(probes, outShape, integer, options, settings)) / 2;
                double median = medianMicros(e.getValue(), input, settings);
                double value = Math.max(0, median - io);
                timings.add(new LayerTiming(op.index(), e.getKey(), e.getValue().length, median, io, value));
                row.put(PrecisionMapping.toPlanner(e.getKey()), value);
            }
            micros.put(op.layerId(), row);
            progress.onStep(op.index() + 1, model.ops().size(), op.layerId());
        }
        return new Result(LatencyTable.seeded(hardwareClass, micros), timings);
    }

    /**
     * The single-operator models of one layer, one per precision (insertion order of {@code precisions}): the float
     * model is calibrated on the layer's recorded input activations, then built as described in the class comment
     * (every model is verified in the runtime by the quantizer).
     */
    public static Map<LayerPrecision, byte[]> build(SingleOperatorModels.LayerModel layer,
            List<LayerPrecision> precisions, QuantizerOptions options) {
        Map<LayerPrecision, byte[]> result = new LinkedHashMap<>();
        CalibratedModel calibrated = null;
        for (LayerPrecision p : precisions) {
            if (p == LayerPrecision.FLOAT32) {
                result.put(p, layer.floatModel());
                continue;
            }
            if (calibrated == null) {
                calibrated = Quantizer.calibrate(layer.floatModel(), layer.inputs(),
                        options.withMaxCalibrationSamples(Math.max(options.maxCalibrationSamples(),
                                layer.inputs().count())));
            }
            result.put(p, Quantizer.quantize(calibrated, QuantizationMode.FULL_INT8,
                    options.withLayerPrecisions(Map.of(0, p))).tflite());
        }
        return result;
    }

    /** Median time in µs of {@code settings.runs()} inferences of one input after the warm-up, in the runtime. */
    public static double medianMicros(byte[] model, float[] input, Settings settings) {
        long[] nanos = new long[settings.runs()];
        try (TfliteRunner runner = TfliteRunner.load(model, settings.threads())) {
            for (int i = 0; i < settings.warmup(); i++) {
                runner.infer(input);
            }
            for (int i = 0; i < nanos.length; i++) {
                long start = System.nanoTime();
                runner.infer(input);
                nanos[i] = System.nanoTime() - start;
            }
        }
        Arrays.sort(nanos);
        int n = nanos.length;
        double median = n % 2 == 1 ? nanos[n / 2] : (nanos[n / 2 - 1] + nanos[n / 2]) / 2.0;
        return median / 1000.0;
    }

    /**
     * The I/O probe of one shape, cached by shape and kind: {@code x → RESHAPE → y} (float32), or its FULL_INT8 build
     * {@code x → QUANTIZE → RESHAPE(int8) → DEQUANTIZE → y} for integer layers.
     */
    private static double probe(Map<String, Double> cache, int[] shape, boolean integer, QuantizerOptions options,
            Settings settings) {
        String key = Arrays.toString(shape) + (integer ? "/int8" : "/float32");
        Double cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        byte[] reshape = reshapeModel(shape);
        int size = 1;
        for (int d : shape) {
            size *= d;
        }
        java.util.Random random = new java.util.Random(size);
        float[][] values = new float[2][size];
        for (float[] v : values) {
            for (int i = 0; i < size; i++) {
                v[i] = random.nextFloat() * 2 - 1;
            }
        }
        byte[] model = reshape;
        if (integer) {
            SampleSet samples = new SampleSet(shape, values, null);
            model = Quantizer.quantize(Quantizer.calibrate(reshape, samples, options.withLayerPrecisions(Map.of())),
                    QuantizationMode.FULL_INT8, options.withLayerPrecisions(Map.of(0, LayerPrecision.INT8))).tflite();
        }
        double micros = medianMicros(model, values[0], settings);
        cache.put(key, micros);
        return micros;
    }

    private static byte[] reshapeModel(int[] shape) {
        TensorT in = new TensorT();
        in.setName("x");
        in.setType(TensorType.FLOAT32);
        in.setShape(shape.clone());
        in.setBuffer(0);
        TensorT newShape = new TensorT();
        newShape.setName("shape");
        newShape.setType(TensorType.INT32);
        newShape.setShape(new int[] {shape.length});
        newShape.setBuffer(1);
        TensorT out = new TensorT();
        out.setName("y");
        out.setType(TensorType.FLOAT32);
        out.setShape(shape.clone());
        out.setBuffer(0);
        BufferT shapeData = new BufferT();
        int[] bytes = new int[shape.length * 4];
        for (int i = 0; i < shape.length; i++) {
            for (int b = 0; b < 4; b++) {
                bytes[i * 4 + b] = (shape[i] >>> (8 * b)) & 0xff;
            }
        }
        shapeData.setData(bytes);
        OperatorCodeT code = new OperatorCodeT();
        code.setBuiltinCode(BuiltinOperator.RESHAPE);
        code.setDeprecatedBuiltinCode((byte) BuiltinOperator.RESHAPE);
        code.setVersion(1);
        OperatorT op = new OperatorT();
        op.setOpcodeIndex(0);
        op.setInputs(new int[] {0, 1});
        op.setOutputs(new int[] {2});
        ReshapeOptionsT reshapeOptions = new ReshapeOptionsT();
        reshapeOptions.setNewShape(shape.clone());
        BuiltinOptionsUnion options = new BuiltinOptionsUnion();
        options.setType(BuiltinOptions.ReshapeOptions);
        options.setValue(reshapeOptions);
        op.setBuiltinOptions(options);
        SubGraphT g = new SubGraphT();
        g.setTensors(new TensorT[] {in, newShape, out});
        g.setOperators(new OperatorT[] {op});
        g.setInputs(new int[] {0});
        g.setOutputs(new int[] {2});
        g.setName("io-probe");
        ModelT m = new ModelT();
        m.setVersion(3);
        m.setDescription("edgefleet I/O probe");
        m.setSubgraphs(new SubGraphT[] {g});
        m.setBuffers(new BufferT[] {new BufferT(), shapeData});
        m.setOperatorCodes(new OperatorCodeT[] {code});
        return TfliteModel.serialize(m);
    }
}
