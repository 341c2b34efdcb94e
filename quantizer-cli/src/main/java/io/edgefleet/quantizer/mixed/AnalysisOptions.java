package io.edgefleet.quantizer.mixed;

import io.edgefleet.quantization.quantize.LayerPrecision;
import io.edgefleet.quantization.quantize.QuantizerOptions;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link MixedPrecisionPipeline#analyze} measures.
 *
 * @param quantizer calibration / build options (range estimator, threads, calibration sample cap)
 * @param precisions per-layer precisions to measure (FLOAT32 is always the zero-loss baseline)
 * @param measureSensitivity run the forward-pass sensitivity analysis (false: only the data-free weight proxy)
 * @param latencyRuns inferences per uniform model for the host latency table; 0 = no latency table
 * @param latencyThreads interpreter threads for the latency table
 * @param hardwareClass hardware class id stamped on the latency table
 * @param latencyMethod how the latency table is measured (uniform models apportioned by work, or one
 *     single-operator model per layer × precision); only used when {@code latencyRuns > 0}
 */
public record AnalysisOptions(QuantizerOptions quantizer, Set<LayerPrecision> precisions, boolean measureSensitivity,
        int latencyRuns, int latencyThreads, String hardwareClass, LatencyMethod latencyMethod) {

    /** The six-component form kept for existing callers: {@link LatencyMethod#APPORTIONED}. */
    public AnalysisOptions(QuantizerOptions quantizer, Set<LayerPrecision> precisions, boolean measureSensitivity,
            int latencyRuns, int latencyThreads, String hardwareClass) {
        this(quantizer, precisions, measureSensitivity, latencyRuns, latencyThreads, hardwareClass,
                LatencyMethod.APPORTIONED);
    }

    public AnalysisOptions {
        Objects.requireNonNull(quantizer, "quantizer");
        Objects.requireNonNull(hardwareClass, "hardwareClass");
        Objects.requireNonNull(latencyMethod, "latencyMethod");
        if (precisions == null || precisions.isEmpty()) {
            throw new QuantizerCliException(CliErrorCode.INVALID_ARGUMENT, "at least one precision is required");
        }
        precisions = Set.copyOf(EnumSet.copyOf(precisions));
        if (latencyRuns < 0 || latencyThreads < 1) {
            throw new QuantizerCliException(CliErrorCode.INVALID_ARGUMENT,
                    "latencyRuns must be >= 0 and latencyThreads >= 1");
        }
    }

    /** All four mixable precisions, forward-pass sensitivity, no latency table, quantizer defaults. */
    public static AnalysisOptions defaults() {
        return new AnalysisOptions(QuantizerOptions.defaults(), EnumSet.allOf(LayerPrecision.class), true, 0, 1,
                "host");
    }

    public AnalysisOptions withQuantizer(QuantizerOptions options) {
        return new AnalysisOptions(options, precisions, measureSensitivity, latencyRuns, latencyThreads,
                hardwareClass, latencyMethod);
    }

    public AnalysisOptions withLatency(int runs, int threads) {
        return new AnalysisOptions(quantizer, precisions, measureSensitivity, runs, threads, hardwareClass,
                latencyMethod);
    }

    public AnalysisOptions withMeasureSensitivity(boolean measure) {
        return new AnalysisOptions(quantizer, precisions, measure, latencyRuns, latencyThreads, hardwareClass,
                latencyMethod);
    }

    public AnalysisOptions withPrecisions(Set<LayerPrecision> set) {
        return new AnalysisOptions(quantizer, set, measureSensitivity, latencyRuns, latencyThreads, hardwareClass,
                latencyMethod);
    }

    /** Same options with the latency table measured by {@code method}. */
    public AnalysisOptions withLatencyMethod(LatencyMethod method) {
        return new AnalysisOptions(quantizer, precisions, measureSensitivity, latencyRuns, latencyThreads,
                hardwareClass, method);
    }
}
