package io.edgefleet.quantization.quantize;

import io.edgefleet.quantization.ErrorCode;
import io.edgefleet.quantization.QuantizationException;
import io.edgefleet.quantization.model.OpInfo;
import io.edgefleet.quantization.model.TensorInfo;
import io.edgefleet.quantization.model.TfliteModel;
import io.edgefleet.quantization.runtime.TfliteRunner;
import io.edgefleet.quantization.samples.SampleSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.TensorType;

/**
 * Records activation statistics by running the float model in the real TFLite runtime: a copy of the model is
 * rewritten so that every intermediate float tensor is also a subgraph output, then each calibration sample is run
 * and every output observed.
 */
public final class Calibrator {
    private Calibrator() {
    }

    /**
     * Collects statistics for the graph input(s) and every float tensor produced by an operator.
     *
     * @param histograms whether to run a second pass that builds histograms (PERCENTILE / MSE estimators)
     */
    public static Map<Integer, TensorStats> calibrate(TfliteModel model, SampleSet samples, int threads,
            boolean histograms, int bins) {
        Set<Integer> observed = new LinkedHashSet<>();
        for (OpInfo op : model.ops()) {
            for (int t : op.outputs()) {
                if (model.tensor(t).typeCode() == TensorType.FLOAT32) {
                    observed.add(t);
                }
            }
        }
        List<Integer> outputs = new ArrayList<>(observed);
        ModelT copy = model.copyModelT();
        int[] outs = new int[outputs.size()];
        for (int i = 0; i < outs.length; i++) {
            outs[i] = outputs.get(i);
        }
        copy.getSubgraphs()[0].setOutputs(outs);
        copy.setSignatureDefs(null);
        byte[] calibrationModel = TfliteModel.serialize(copy);

        Map<Integer, TensorStats> stats = new HashMap<>();
        int input = model.inputs()[0];
        stats.put(input, new TensorStats(channels(model.tensor(input))));
        for (int t : outputs) {
            stats.put(t, new TensorStats(channels(model.tensor(t))));
        }
        try (TfliteRunner runner = TfliteRunner.load(calibrationModel, threads)) {
            runner.requireCompatible(samples);
            for (float[] sample : samples.inputs()) {
                stats.get(input).observeRange(sample);
                float[][] values = runner.inferOutputs(sample);
                for (int i = 0; i < outs.length; i++) {
                    requireFinite(values[i], model.tensor(outs[i]));
                    stats.get(outs[i]).observeRange(values[i]);
                }
            }
            if (histograms) {
                for (TensorStats s : stats.values()) {
                    s.startHistogram(bins);
                }
                for (float[] sample : samples.inputs()) {
                    stats.get(input).observeHistogram(sample);
                    float[][] values = runner.inferOutputs(sample);
                    for (int i = 0; i < outs.length; i++) {
                        stats.get(outs[i]).observeHistogram(values[i]);
                    }
                }
            }
        }
        return stats;
    }

    private static int channels(TensorInfo tensor) {
        int[] shape = tensor.shape();
        return shape.length == 0 ? 1 : Math.max(1, shape[shape.length - 1]);
    }

    private static void requireFinite(float[] values, TensorInfo tensor) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                throw new QuantizationException(ErrorCode.NON_FINITE_VALUES, "activation tensor " + tensor.index()
                        + " (" + tensor.name() + ") produced " + v + " on the calibration set");
            }
        }
    }
}
