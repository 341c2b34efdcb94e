package io.edgefleet.quantizer.mixed;

import io.edgefleet.planner.Precision;
import io.edgefleet.planner.latency.LatencyTable;
import io.edgefleet.quantization.eval.Evaluator;
import io.edgefleet.quantization.model.OpInfo;
import io.edgefleet.quantization.model.TfliteModel;
import io.edgefleet.quantization.quantize.CalibratedModel;
import io.edgefleet.quantization.quantize.LayerPrecision;
import io.edgefleet.quantization.quantize.QuantizationMode;
import io.edgefleet.quantization.quantize.Quantizer;
import io.edgefleet.quantization.quantize.QuantizerOptions;
import io.edgefleet.quantization.samples.SampleSet;
import io.edgefleet.quantization.sensitivity.SensitivityAnalyzer;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Seeds a host {@link LatencyTable} by benchmarking in the real TFLite runtime: for each mixable precision the
 * uniform model (every layer at that precision) is run and its median latency is apportioned to the layers in
 * proportion to their work (MACs + output elements). Values are additive by construction and sum to the measured
 * uniform latencies (rows hold FLOAT32 plus the precisions that differ for the operator: FLOAT16 / INT4_WEIGHTS only
 * for weighted operators); the cost of QUANTIZE/DEQUANTIZE at precision boundaries is not modelled. Device-measured tables
 * replace these seeded values through {@link LatencyTable#merge}.
 */
public final class LatencyProfiler {
    private LatencyProfiler() {
    }

    /**
     * @param calibrated the calibrated float model
     * @param options build options (range estimator etc.)
     * @param samples inputs to time (cycled until {@code runs} inferences)
     * @param precisions precisions to time (FLOAT32 always included)
     * @param runs timed inferences per uniform model
     * @param threads interpreter threads
     * @param hardwareClass id stamped on the table
     */
    public static LatencyTable profile(CalibratedModel calibrated, QuantizerOptions options, SampleSet samples,
            List<LayerPrecision> precisions, int runs, int threads, String hardwareClass) {
        if (runs < 1) {
            throw new QuantizerCliException(CliErrorCode.INVALID_ARGUMENT, "latency runs must be >= 1");
        }
        TfliteModel model = calibrated.model();
        SampleSet timed = cycle(samples, runs);
        Map<LayerPrecision, Double> uniform = new EnumMap<>(LayerPrecision.class);
        uniform.put(LayerPrecision.FLOAT32, median(model.bytes(), timed, threads));
        for (LayerPrecision p : precisions) {
            if (p == LayerPrecision.FLOAT32) {
                continue;
            }
            Map<Integer, LayerPrecision> plan = new HashMap<>();
            for (OpInfo op : model.ops()) {
                plan.put(op.index(), p);
            }
            byte[] built = Quantizer.quantize(calibrated, QuantizationMode.FULL_INT8, options.withLayerPrecisions(plan))
                    .tflite();
            uniform.put(p, median(built, timed, threads));
        }
        double[] work = new double[model.ops().size()];
        double totalWork = 0;
        for (OpInfo op : model.ops()) {
            long outElements = 0;
            for (int t : op.outputs()) {
                outElements += model.tensor(t).elements();
            }
            work[op.index()] = op.macs() + outElements;
            totalWork += work[op.index()];
        }
        Map<String, Map<Precision, Double>> micros = new TreeMap<>();
        for (OpInfo op : model.ops()) {
            Map<Precision, Double> row = new EnumMap<>(Precision.class);
            double share = totalWork > 0 ? work[op.index()] / totalWork : 1.0 / model.ops().size();
            List<LayerPrecision> candidates = SensitivityAnalyzer.measuredPrecisions(op, uniform.keySet());
            row.put(Precision.FLOAT32, uniform.get(LayerPrecision.FLOAT32) * share);
            for (LayerPrecision p : candidates) {
                row.put(PrecisionMapping.toPlanner(p), uniform.get(p) * share);
            }
            micros.put(op.layerId(), row);
        }
        return LatencyTable.seeded(hardwareClass, micros);
    }

    private static double median(byte[] model, SampleSet samples, int threads) {
        return Evaluator.evaluate(model, samples, null, threads, 10).latency().p50Micros();
    }

    private static SampleSet cycle(SampleSet samples, int runs) {
        float[][] inputs = new float[runs][];
        for (int i = 0; i < runs; i++) {
            inputs[i] = samples.inputs()[i % samples.count()];
        }
        return new SampleSet(samples.sampleShape(), inputs, null);
    }
}
