package io.edgefleet.quantizer.cli;

import io.edgefleet.quantization.quantize.QuantizerOptions;
import io.edgefleet.quantization.quantize.RangeEstimator;
import picocli.CommandLine.Option;

/** Options shared by the commands that calibrate (mixed in with {@code @Mixin}). */
final class CommonOptions {
    @Option(names = "--threads", defaultValue = "1", description = "TFLite interpreter threads (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--estimator", defaultValue = "MIN_MAX",
            description = "activation range estimator: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
    RangeEstimator estimator;

    @Option(names = "--percentile", defaultValue = "99.99", description = "percentile for PERCENTILE (default ${DEFAULT-VALUE})")
    double percentile;

    @Option(names = "--max-calibration-samples", defaultValue = "500",
            description = "calibration samples used (default ${DEFAULT-VALUE})")
    int maxCalibrationSamples;

    @Option(names = "--bias-correction", description = "integer modes: correct the bias for the mean weight "
            + "quantization error (uses per-channel input means from calibration)")
    boolean biasCorrection;

    @Option(names = {"-q", "--quiet"}, description = "no progress output")
    boolean quiet;

    QuantizerOptions quantizerOptions() {
        QuantizerOptions o = QuantizerOptions.defaults().withThreads(threads)
                .withMaxCalibrationSamples(maxCalibrationSamples).withBiasCorrection(biasCorrection);
        if (estimator == RangeEstimator.PERCENTILE) {
            return o.withPercentile(percentile);
        }
        return o.withRangeEstimator(estimator);
    }
}
