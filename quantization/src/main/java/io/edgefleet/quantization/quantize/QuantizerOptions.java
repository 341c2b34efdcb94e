package io.edgefleet.quantization.quantize;

import io.edgefleet.quantization.ErrorCode;
import io.edgefleet.quantization.QuantizationException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Typed quantizer configuration.
 *
 * @param rangeEstimator activation range estimator
 * @param percentile upper percentile for {@link RangeEstimator#PERCENTILE}, in (50, 100]
 * @param threads TFLite interpreter threads used for calibration and verification
 * @param maxCalibrationSamples calibration samples actually used (the first N)
 * @param histogramBins histogram resolution for PERCENTILE / MSE
 * @param layerPrecisions per-operator overrides of the mode's precision (mixed precision, integer modes only;
 *     INT8 / INT4_WEIGHTS overrides are not allowed in INT16X8 mode); operators not listed follow the mode
 * @param biasCorrection integer modes: add (W - Q(W)) E[x] to the bias of each quantized weighted operator, with
 *     E[x] the per-channel mean of its input on the calibration set, so the expected output is unbiased
 */
public record QuantizerOptions(RangeEstimator rangeEstimator, double percentile, int threads,
        int maxCalibrationSamples, int histogramBins, Map<Integer, LayerPrecision> layerPrecisions,
        boolean biasCorrection) {

    /** Options without bias correction (the six-component form kept for existing callers). */
    public QuantizerOptions(RangeEstimator rangeEstimator, double percentile, int threads, int maxCalibrationSamples,
            int histogramBins, Map<Integer, LayerPrecision> layerPrecisions) {
        this(rangeEstimator, percentile, threads, maxCalibrationSamples, histogramBins, layerPrecisions, false);
    }

    public QuantizerOptions {
        if (rangeEstimator == null) {
            throw invalid("rangeEstimator is required");
        }
        if (!(percentile > 50.0 && percentile <= 100.0)) {
            throw invalid("percentile must be in (50, 100], got " + percentile);
        }
        if (threads < 1 || threads > 64) {
            throw invalid("threads must be in [1, 64], got " + threads);
        }
        if (maxCalibrationSamples < 1) {
            throw invalid("maxCalibrationSamples must be >= 1");
        }
        if (histogramBins < 64 || histogramBins > 1 << 16) {
            throw invalid("histogramBins must be in [64, 65536]");
        }
        layerPrecisions = layerPrecisions == null ? Map.of() : Map.copyOf(layerPrecisions);
    }

    /** MIN_MAX, 99.99th percentile (if switched to PERCENTILE), 1 thread, up to 500 samples, 2048 bins. */
    public static QuantizerOptions defaults() {
        return new QuantizerOptions(RangeEstimator.MIN_MAX, 99.99, 1, 500, 2048, Map.of());
    }

    public QuantizerOptions withRangeEstimator(RangeEstimator estimator) {
        return new QuantizerOptions(estimator, percentile, threads, maxCalibrationSamples, histogramBins,
                layerPrecisions, biasCorrection);
    }

    public QuantizerOptions withPercentile(double p) {
        return new QuantizerOptions(RangeEstimator.PERCENTILE, p, threads, maxCalibrationSamples, histogramBins,
                layerPrecisions, biasCorrection);
    }

    public QuantizerOptions withThreads(int t) {
        return new QuantizerOptions(rangeEstimator, percentile, t, maxCalibrationSamples, histogramBins, layerPrecisions,
                biasCorrection);
    }

    public QuantizerOptions withMaxCalibrationSamples(int n) {
        return new QuantizerOptions(rangeEstimator, percentile, threads, n, histogramBins, layerPrecisions,
                biasCorrection);
    }

    /** Enables or disables bias correction (integer modes). */
    public QuantizerOptions withBiasCorrection(boolean enabled) {
        return new QuantizerOptions(rangeEstimator, percentile, threads, maxCalibrationSamples, histogramBins,
                layerPrecisions, enabled);
    }

    /** Keeps the given operators in float32. */
    public QuantizerOptions withFloatLayers(Set<Integer> layers) {
        Map<Integer, LayerPrecision> plan = new HashMap<>(layerPrecisions);
        for (int layer : layers) {
            plan.put(layer, LayerPrecision.FLOAT32);
        }
        return withLayerPrecisions(plan);
    }

    /** Replaces the per-operator precision overrides (a mixed-precision plan: operator index -> precision). */
    public QuantizerOptions withLayerPrecisions(Map<Integer, LayerPrecision> plan) {
        return new QuantizerOptions(rangeEstimator, percentile, threads, maxCalibrationSamples, histogramBins, plan,
                biasCorrection);
    }

    private static QuantizationException invalid(String message) {
        return new QuantizationException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
