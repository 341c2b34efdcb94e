package io.edgefleet.quantization.eval;

import io.edgefleet.quantization.ErrorCode;
import io.edgefleet.quantization.QuantizationException;
import io.edgefleet.quantization.runtime.TfliteRunner;
import io.edgefleet.quantization.samples.SampleSet;
import org.HdrHistogram.Histogram;

/** Runs a model over an evaluation set in the real TFLite runtime: accuracy, agreement, finiteness, latency. */
public final class Evaluator {
    private static final long MAX_TRACKED_NANOS = 3_600_000_000_000L;

    private Evaluator() {
    }

    /**
     * Evaluates a model.
     *
     * @param model .tflite bytes
     * @param eval evaluation samples (labels optional)
     * @param referenceOutputsOrNull expected outputs per sample (e.g. the float model's), or null
     * @param threads interpreter threads
     * @param warmupRuns inferences run before measuring (on the first sample), not recorded
     */
    public static EvalResult evaluate(byte[] model, SampleSet eval, float[][] referenceOutputsOrNull, int threads,
            int warmupRuns) {
        if (eval == null) {
            throw new QuantizationException(ErrorCode.INVALID_SAMPLES, "an evaluation set is required");
        }
        if (warmupRuns < 0) {
            throw new QuantizationException(ErrorCode.INVALID_ARGUMENT, "warmupRuns must be >= 0");
        }
        if (referenceOutputsOrNull != null && referenceOutputsOrNull.length != eval.count()) {
            throw new QuantizationException(ErrorCode.INVALID_ARGUMENT, "reference has " + referenceOutputsOrNull.length
                    + " outputs for " + eval.count() + " samples");
        }
        try (TfliteRunner runner = TfliteRunner.load(model, threads)) {
            runner.requireCompatible(eval);
            for (int i = 0; i < warmupRuns; i++) {
                runner.infer(eval.inputs()[0]);
            }
            Histogram histogram = new Histogram(1, MAX_TRACKED_NANOS, 3);
            int correct = 0;
            int agree = 0;
            double maxDiff = 0;
            boolean finite = true;
            for (int i = 0; i < eval.count(); i++) {
                long start = System.nanoTime();
                float[] out = runner.infer(eval.inputs()[i]);
                long elapsed = System.nanoTime() - start;
                histogram.recordValue(Math.max(1, Math.min(MAX_TRACKED_NANOS, elapsed)));
                for (float v : out) {
                    if (!Float.isFinite(v)) {
                        finite = false;
                        break;
                    }
                }
                int predicted = argmax(out);
                if (eval.hasLabels() && predicted == eval.labels()[i]) {
                    correct++;
                }
                if (referenceOutputsOrNull != null) {
                    float[] ref = referenceOutputsOrNull[i];
                    if (ref == null || ref.length != out.length) {
                        throw new QuantizationException(ErrorCode.INVALID_ARGUMENT, "reference output " + i + " has "
                                + (ref == null ? 0 : ref.length) + " values, model produced " + out.length);
                    }
                    if (argmax(ref) == predicted) {
                        agree++;
                    }
                    for (int k = 0; k < out.length; k++) {
                        double d = Math.abs((double) out[k] - ref[k]);
                        if (!(d <= maxDiff)) {
                            maxDiff = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
                        }
                    }
                }
            }
            int n = eval.count();
            LatencySummary latency = new LatencySummary(histogram.getTotalCount(),
                    histogram.getValueAtPercentile(50) / 1000.0, histogram.getValueAtPercentile(95) / 1000.0,
                    histogram.getValueAtPercentile(99) / 1000.0, histogram.getMean() / 1000.0);
            return new EvalResult(n, eval.hasLabels() ? (double) correct / n : Double.NaN,
                    referenceOutputsOrNull != null ? (double) agree / n : Double.NaN,
                    referenceOutputsOrNull != null ? maxDiff : Double.NaN, finite, latency);
        }
    }

    /** Reference outputs (output 0 per sample) of a model, e.g. the float model, for later comparison. */
    public static float[][] referenceOutputs(byte[] model, SampleSet eval, int threads) {
        try (TfliteRunner runner = TfliteRunner.load(model, threads)) {
            return runner.inferAll(eval);
        }
    }

    /** Index of the largest value (first one on ties). */
    public static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
