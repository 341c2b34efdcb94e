package io.edgefleet.quantizer.cli;

import io.edgefleet.planner.Precision;
import io.edgefleet.quantization.quantize.LayerPrecision;
import io.edgefleet.quantization.samples.SampleSet;
import io.edgefleet.quantizer.mixed.AnalysisOptions;
import io.edgefleet.quantizer.mixed.LatencyMethod;
import io.edgefleet.quantizer.mixed.MixedPrecisionPipeline;
import io.edgefleet.quantizer.mixed.ModelAnalysis;
import io.edgefleet.quantizer.mixed.PrecisionMapping;
import io.edgefleet.quantizer.mixed.SensitivityMetric;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What the commands that plan per layer ({@code plan}, {@code pareto}) analyse, mixed in with {@code @Mixin}: the float
 * model, its calibration and sensitivity samples, the predicted-loss metric and the allowed precisions.
 */
final class PlanningInputs {
    @Parameters(index = "0", description = "float32 .tflite model")
    Path model;

    @Option(names = {"-c", "--calibration"}, required = true, description = "calibration set (.efs)")
    Path calibration;

    @Option(names = "--sensitivity-samples",
            description = "samples the single-layer models are compared on (.efs; default: the calibration set)")
    Path sensitivitySamples;

    @Option(names = "--metric", defaultValue = "kl",
            description = "predicted loss: kl, mse, disagreement, weight-proxy (default ${DEFAULT-VALUE})")
    String metric;

    @Option(names = "--precisions", split = ",", description = "allowed precisions (default: float32,float16,int8,"
            + "int4-weights)")
    List<String> precisions;

    /** The float model and the sample sets read from disk. */
    record Loaded(byte[] model, SampleSet calibration, SampleSet sensitivity) {
    }

    SensitivityMetric metric() {
        return SensitivityMetric.fromKey(metric);
    }

    /**
     * The allowed precisions, empty when none were given (the planner's default set); each must be mixable per layer.
     *
     * @param parse turns one {@code --precisions} value into a precision (the command's own error for unknown ones)
     */
    Set<Precision> allowedPrecisions(Function<String, Precision> parse) {
        Set<Precision> allowed = EnumSet.noneOf(Precision.class);
        if (precisions != null) {
            for (String p : precisions) {
                Precision precision = parse.apply(p);
                PrecisionMapping.toLayer(precision);
                allowed.add(precision);
            }
        }
        return allowed;
    }

    /** Reads the model, the whole calibration set and at most 500 sensitivity samples. */
    Loaded read() {
        byte[] bytes = Inputs.readModel(model);
        SampleSet calib = Inputs.readSamples(calibration, 0);
        SampleSet sens = sensitivitySamples == null ? null : Inputs.readSamples(sensitivitySamples, 500);
        return new Loaded(bytes, calib, sens);
    }

    /**
     * Calibrates the model and measures the per-layer sensitivities (unless the metric is the data-free weight proxy)
     * and the host latency table {@code latency} asks for, restricted to {@code allowed} when not empty; progress on
     * {@code err} unless {@code -q}.
     */
    static ModelAnalysis analyze(Loaded in, SensitivityMetric m, Set<Precision> allowed, CommonOptions common,
            LatencyOptions latency, LatencyMethod method, PrintWriter err) {
        AnalysisOptions options = AnalysisOptions.defaults().withQuantizer(common.quantizerOptions())
                .withMeasureSensitivity(m != SensitivityMetric.WEIGHT_PROXY);
        options = latency.apply(options, method, common.threads);
        if (!allowed.isEmpty()) {
            Set<LayerPrecision> layerSet = EnumSet.noneOf(LayerPrecision.class);
            allowed.forEach(p -> layerSet.add(PrecisionMapping.toLayer(p)));
            options = options.withPrecisions(layerSet);
        }
        return MixedPrecisionPipeline.analyze(in.model(), in.calibration(), in.sensitivity(), options,
                Progress.of(err, "sensitivity", common.quiet));
    }
}
