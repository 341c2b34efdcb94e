package io.edgefleet.benchmarks;

import io.edgefleet.fixtures.FixtureModel;
import io.edgefleet.fixtures.Fixtures;
import io.edgefleet.planner.Planner;
import io.edgefleet.quantization.QuantizationException;
import io.edgefleet.quantization.eval.Evaluator;
import io.edgefleet.quantization.eval.LatencySummary;
import io.edgefleet.quantization.model.OpInfo;
import io.edgefleet.quantization.quantize.CalibratedModel;
import io.edgefleet.quantization.quantize.LayerPrecision;
import io.edgefleet.quantization.quantize.QuantizationMode;
import io.edgefleet.quantization.quantize.Quantizer;
import io.edgefleet.quantization.quantize.QuantizerOptions;
import io.edgefleet.quantization.quantize.RangeEstimator;
import io.edgefleet.quantization.runtime.TfliteRunner;
import io.edgefleet.quantization.samples.SampleSet;
import io.edgefleet.quantization.samples.SampleSetCodec;
import io.edgefleet.quantizer.mixed.AnalysisOptions;
import io.edgefleet.quantizer.mixed.MixedBuild;
import io.edgefleet.quantizer.mixed.MixedPlan;
import io.edgefleet.quantizer.mixed.MixedPrecisionPipeline;
import io.edgefleet.quantizer.mixed.ModelAnalysis;
import io.edgefleet.planner.pareto.ParetoAxis;
import io.edgefleet.quantizer.mixed.LatencyMethod;
import io.edgefleet.quantizer.mixed.ParetoSweep;
import io.edgefleet.quantizer.mixed.PerLayerLatencyProfiler;
import io.edgefleet.quantizer.mixed.PlanInfeasibleException;
import io.edgefleet.quantizer.mixed.PlanRequest;
import io.edgefleet.quantizer.mixed.RankCorrelation;
import io.edgefleet.quantizer.mixed.SensitivityMetric;
import io.edgefleet.quantizer.mixed.WilsonInterval;
import io.edgefleet.quantization.sensitivity.ProgressListener;
import java.util.EnumSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * On-demand quantization benchmark over the committed fixture models and eval set: float vs every mode vs ILP mixed
 * plans at several size budgets vs uniform and random plans of equal size; prints tables and writes a Markdown
 * report. Run: {@code ./mvnw -Pbench -pl benchmarks -am verify -DskipTests}.
 */
public final class QuantizationBenchmark {
    private static final int LATENCY_WARMUP = 50;
    /** Timed runs per model for the per-layer table and the whole-model latency check. */
    private static final int LATENCY_RUNS = 300;
    /** Random plans whose latency is also checked against the per-layer prediction. */
    private static final int LATENCY_RANDOM_PLANS = 8;
    private static final long SEED = 20261123L;

    private final int randomPlans;
    private final SampleSet calibration;
    private final SampleSet eval;
    private final StringBuilder md = new StringBuilder();
    private final Planner planner = new Planner();
    private String arguments = "";

    private QuantizationBenchmark(int randomPlans, SampleSet calibration, SampleSet eval) {
        this.randomPlans = randomPlans;
        this.calibration = calibration;
        this.eval = eval;
    }

    /** Measured accuracy of one model on the eval set. */
    record Measured(double top1, double agreement, double kl) {
    }

    /** One benchmark row. */
    record Row(String variant, long bytes, Long predictedBytes, Measured m, LatencySummary lat1, LatencySummary lat2,
            String note, String steps) {
    }

    /** One random plan and the ILP plan of the same size. */
    record Trial(long bytes, double predictedLoss, Measured random, long ilpBytes, double ilpPredictedLoss,
            Measured ilp, boolean samePlan, Map<Integer, LayerPrecision> randomPlan) {
        /** Secondary criterion: higher agreement with float, ties broken by lower KL. */
        boolean ilpBeats() {
            return ilp != null && (ilp.agreement() > random.agreement()
                    || (ilp.agreement() == random.agreement() && ilp.kl() < random.kl()));
        }

        /** Primary criterion on measured top-1: identical plans and equal top-1 are ties; no ILP plan = loss. */
        Outcome outcome() {
            if (samePlan) {
                return Outcome.TIE_SAME_PLAN;
            }
            if (ilp == null || ilp.top1() < random.top1()) {
                return Outcome.LOSS;
            }
            return ilp.top1() > random.top1() ? Outcome.WIN : Outcome.TIE_EQUAL_TOP1;
        }
    }

    enum Outcome { WIN, LOSS, TIE_SAME_PLAN, TIE_EQUAL_TOP1 }

    /** Predicted vs measured whole-model latency of one plan. */
    record LatencyCheck(String plan, boolean uniform, double measured, double perLayer, double apportioned) {
    }

    public static void main(String[] args) {
        List<FixtureModel> models = new ArrayList<>(List.of(FixtureModel.values()));
        int random = 50;
        Path output = Path.of("docs/benchmarks/quantization.md");
        for (String a : args) {
            if (a.startsWith("--models=")) {
                models.clear();
                for (String m : a.substring(9).split(",")) {
                    if (!m.isBlank()) {
                        models.add(FixtureModel.valueOf(m.trim().toUpperCase(Locale.ROOT)));
                    }
                }
            } else if (a.startsWith("--random-plans=")) {
                random = Integer.parseInt(a.substring(15));
            } else if (a.startsWith("--output=")) {
                output = Path.of(a.substring(9));
            } else {
                throw new IllegalArgumentException("unknown argument " + a
                        + " (--models=FASHION_CNN,... --random-plans=N --output=FILE)");
            }
        }
        SampleSet calibration = SampleSetCodec.read(Fixtures.calibrationSet());
        SampleSet eval = SampleSetCodec.read(Fixtures.evalSet());
        QuantizationBenchmark bench = new QuantizationBenchmark(random, calibration, eval);
        bench.arguments = "`--models=" + models.stream().map(Enum::name).reduce((a, b) -> a + "," + b).orElse("")
                + " --random-plans=" + random + "`";
        bench.header(models, output);
        for (FixtureModel model : models) {
            bench.run(model);
        }
        bench.write(output);
    }

    private void header(List<FixtureModel> models, Path output) {
        md.append("# Quantization benchmark\n\n");
        md.append("Produced by `cd /work/main && ./mvnw -o -Pbench -pl benchmarks verify` with the other modules "
                + "installed (or `./mvnw -Pbench -pl benchmarks -am verify -DskipTests` to build them first; module "
                + "`benchmarks`, class `").append(getClass().getName()).append("`, arguments ").append(arguments)
                .append("; options `-Dbench.models=FASHION_CNN,... -Dbench.randomPlans=N`). Generated ")
                .append(Instant.now()).append(".\n\n");
        md.append("Host: ").append(cpuModel()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, load average at start ").append(String.format(Locale.ROOT, "%.2f",
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()))
                .append(" (shared machine: latencies are indicative), Java ").append(System.getProperty(
                        "java.version")).append(", TFLite 2.19 runtime (bytedeco).\n\n");
        md.append("Data: fixture calibration set (").append(calibration.count()).append(" samples; used for "
                + "calibration and for the per-layer sensitivity analysis) and the committed eval set (")
                .append(eval.count()).append(" labelled samples; every accuracy / agreement / latency figure). "
                + "Models: ").append(models).append(".\n\n");
        md.append("Columns: size in bytes of the .tflite; ×smaller = float size / size; top-1 on the eval set; "
                + "Δ = top-1 − float top-1 in points; agreement = top-1 agreement with the float model; "
                + "KL = mean KL(float ‖ model) of the output distributions; latency = per-inference p50/p95 in µs "
                + "over the 2000 eval samples after ").append(LATENCY_WARMUP).append(" warm-up runs, 1 and 2 "
                + "interpreter threads. ILP rows: mixed per-layer plans (float32 / float16 / int8 / int4-weights "
                + "per layer, QUANTIZE/DEQUANTIZE at boundaries) chosen by OR-Tools CP-SAT minimising the additive "
                + "per-layer output-KL sensitivity under a model-size budget, re-planned if the built flatbuffer "
                + "exceeds the budget (MixedPrecisionPipeline.planAndBuild); \"pred\" = predicted size.\n\n");
    }

    private void run(FixtureModel fixture) {
        log("=== " + fixture.baseName() + " ===");
        byte[] floatModel = Fixtures.model(fixture);
        float[][] reference = Evaluator.referenceOutputs(floatModel, eval, 1);
        QuantizerOptions options = QuantizerOptions.defaults();
        CalibratedModel calibrated = Quantizer.calibrate(floatModel, calibration, options);
        List<Row> rows = new ArrayList<>();
        Row floatRow = row("float32", floatModel, null, reference, true, "");
        rows.add(floatRow);
        Map<QuantizationMode, Row> byMode = new HashMap<>();
        for (QuantizationMode mode : QuantizationMode.values()) {
            try {
                byte[] q = Quantizer.quantize(calibrated, mode, options).tflite();
                Row r = row(mode.name(), q, null, reference, true, "");
                rows.add(r);
                byMode.put(mode, r);
            } catch (QuantizationException ex) {
                rows.add(new Row(mode.name(), 0, null, null, null, null, "not built: " + ex.getMessage(), "–"));
            }
        }

        long a0 = System.nanoTime();
        ModelAnalysis analysis = MixedPrecisionPipeline.analyze(floatModel, calibration, null,
                AnalysisOptions.defaults().withLatency(200, 1),
                (done, total, message) -> {
                    if (done % 10 == 0 || done == total) {
                        log("  sensitivity " + done + "/" + total + " " + message);
                    }
                });
        long analysisMs = (System.nanoTime() - a0) / 1_000_000;
        MixedPrecisionPipeline pipeline = new MixedPrecisionPipeline(planner);
        long int8 = analysis.predictedModelBytes(uniform(analysis, LayerPrecision.INT8));
        long int4 = analysis.predictedModelBytes(uniform(analysis, LayerPrecision.INT4_WEIGHTS));
        long fp16 = analysis.predictedModelBytes(uniform(analysis, LayerPrecision.FLOAT16));
        long mid = (int4 + int8) / 2;
        double[] fractions = {0.25, 0.5, 0.75, 1.0};
        List<Long> planMillis = new ArrayList<>();
        Row midRow = null;
        for (double f : fractions) {
            long budget = int4 + Math.round(f * (int8 - int4));
            Row r = ilpRow(pipeline, analysis, PlanRequest.sizeBudget(budget), reference, planMillis,
                    String.format(Locale.ROOT, "ILP @ int4+%.0f%% (budget %d B)", f * 100, budget));
            rows.add(r);
            if (budget == mid || (midRow == null && f == 0.5)) {
                midRow = r;
            }
        }
        rows.add(ilpRow(pipeline, analysis, PlanRequest.sizeBudget((int8 + fp16) / 2), reference, planMillis,
                "ILP @ (int8+fp16)/2 (budget " + (int8 + fp16) / 2 + " B)"));
        Row proxyRow = ilpRow(pipeline, analysis, PlanRequest.sizeBudget(mid).withMetric(
                SensitivityMetric.WEIGHT_PROXY), reference, planMillis,
                "ILP weight-proxy @ int4+50% (budget " + mid + " B)");
        rows.add(proxyRow);

        String study = estimatorStudy(floatModel, reference, floatRow);
        log("  random plans");
        List<Trial> trials = trials(analysis, pipeline, reference, fixture.ordinal());
        printAndRecord(fixture, rows, floatRow, byMode, analysis, analysisMs, planMillis, midRow, trials, int4, int8,
                mid, study);
        log("  per-layer latency table");
        perLayerLatency(analysis, pipeline, trials, floatRow, reference);
    }

    /**
     * Times every layer × precision as a single-operator model, then compares the sums with whole-model medians
     * (same runner, same input, same settings) for the uniform plans, the ILP plans and some random plans; then the
     * size-axis Pareto frontier with per-layer predicted latencies, every point built and measured.
     */
    private void perLayerLatency(ModelAnalysis apportioned, MixedPrecisionPipeline pipeline, List<Trial> trials,
            Row floatRow, float[][] reference) {
        PerLayerLatencyProfiler.Settings settings = new PerLayerLatencyProfiler.Settings(LATENCY_WARMUP,
                LATENCY_RUNS, 1);
        long t0 = System.nanoTime();
        PerLayerLatencyProfiler.Result perLayer = PerLayerLatencyProfiler.measure(apportioned.calibrated(),
                apportioned.options().quantizer(), EnumSet.allOf(LayerPrecision.class), settings, "host",
                ProgressListener.NONE);
        long profileMs = (System.nanoTime() - t0) / 1_000_000;
        ModelAnalysis analysis = new ModelAnalysis(apportioned.calibrated(),
                apportioned.options().withLatencyMethod(LatencyMethod.PER_LAYER), apportioned.summary(),
                apportioned.sensitivities(), apportioned.proxies(), apportioned.fixedBytes(), perLayer.table(),
                apportioned.timings());
        float[] input = eval.inputs()[0];
        List<LatencyCheck> checks = new ArrayList<>();
        for (LayerPrecision p : LayerPrecision.values()) {
            Map<Integer, LayerPrecision> plan = ParetoSweep.uniform(analysis, p);
            checks.add(latencyCheck("uniform " + ParetoSweep.code(p), true, plan, analysis, apportioned, settings,
                    input));
        }
        long int4 = analysis.predictedModelBytes(ParetoSweep.uniform(analysis, LayerPrecision.INT4_WEIGHTS));
        long int8 = analysis.predictedModelBytes(ParetoSweep.uniform(analysis, LayerPrecision.INT8));
        for (double f : new double[] {0.25, 0.5, 0.75}) {
            long budget = int4 + Math.round(f * (int8 - int4));
            MixedPlan plan = pipeline.plan(analysis, PlanRequest.sizeBudget(budget));
            checks.add(latencyCheck(String.format(Locale.ROOT, "ILP @ int4+%.0f%%: %s", f * 100,
                    describe(analysis, plan.layerPrecisions())), false, plan.layerPrecisions(), analysis,
                    apportioned, settings, input));
        }
        for (Trial t : trials.subList(0, Math.min(LATENCY_RANDOM_PLANS, trials.size()))) {
            checks.add(latencyCheck("random: " + describe(analysis, t.randomPlan()), false, t.randomPlan(), analysis,
                    apportioned, settings, input));
        }
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "Per-layer latency table (PerLayerLatencyProfiler, %d ms, %d timed "
                + "single-operator models): every layer × candidate precision built as a single-operator model (same "
                + "shapes and weights, calibrated on the layer's recorded inputs; integer layers between a QUANTIZE "
                + "and a DEQUANTIZE) and timed alone: median of %d runs after %d warm-up runs, 1 thread, minus the "
                + "mean of two I/O probes of the layer's input and output shapes (RESHAPE, or QUANTIZE→RESHAPE→"
                + "DEQUANTIZE for integer layers: runner call, copies, conversions). Whole models timed the same way "
                + "(median of %d runs of one eval sample, TfliteRunner.infer). Ratio = predicted Σ / measured; "
                + "\"apportioned\" = the uniform-model table apportioned by MACs (LatencyProfiler, 200 runs).%n%n",
                profileMs, perLayer.timings().size(), LATENCY_RUNS, LATENCY_WARMUP, LATENCY_RUNS));
        s.append("| plan | measured p50 µs | Σ per-layer µs | ratio | Σ apportioned µs | ratio |\n"
                + "|---|---:|---:|---:|---:|---:|\n");
        for (LatencyCheck c : checks) {
            s.append("| ").append(c.plan()).append(" | ").append(f(c.measured(), 1)).append(" | ")
                    .append(f(c.perLayer(), 1)).append(" | ").append(f(c.perLayer() / c.measured(), 2))
                    .append(" | ").append(f(c.apportioned(), 1)).append(" | ")
                    .append(f(c.apportioned() / c.measured(), 2)).append(" |\n");
        }
        s.append('\n').append(ratioSummary("uniform plans", checks.stream().filter(LatencyCheck::uniform).toList()))
                .append(ratioSummary("mixed plans (ILP + random)",
                        checks.stream().filter(c -> !c.uniform()).toList()))
                .append('\n');

        log("  Pareto frontier");
        ParetoSweep.Result sweep = ParetoSweep.sweep(planner, analysis, SensitivityMetric.OUTPUT_KL, ParetoAxis.SIZE,
                21, java.util.Set.of());
        s.append(String.format(Locale.ROOT, "Pareto frontier (size axis, predicted loss = Σ single-layer KL, 21 "
                + "budgets from the smallest to the largest plan, %d non-dominated plans; `pareto` command): every "
                + "plan built and measured on the eval set; predicted latency = Σ per-layer table, measured = "
                + "whole-model median as above.%n%n", sweep.points().size()));
        s.append("| plan | budget B | pred loss | pred size B | size B | top-1 | Δ pt | agreement | KL | pred µs "
                + "| measured µs | precisions |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        List<ParetoSweep.SweepPlan> all = new ArrayList<>(sweep.points());
        all.addAll(sweep.baselines());
        for (int i = 0; i < all.size(); i++) {
            ParetoSweep.SweepPlan p = all.get(i);
            boolean baseline = i >= sweep.points().size();
            byte[] built = MixedPrecisionPipeline.build(analysis, p.layerPrecisions()).tflite();
            Measured m = measure(built, reference);
            double lat = PerLayerLatencyProfiler.medianMicros(built, input, settings);
            s.append("| ").append(baseline ? "uniform " + p.label() : p.label()).append(" | ")
                    .append(baseline ? "" : Long.toString((long) Math.floor(p.budget()))).append(" | ")
                    .append(String.format(Locale.ROOT, "%.2e", p.predictedLoss())).append(" | ")
                    .append(p.predictedModelBytes()).append(" | ").append(built.length).append(" | ")
                    .append(f(m.top1() * 100, 2)).append(" | ").append(f((m.top1() - floatRow.m().top1()) * 100, 2))
                    .append(" | ").append(f(m.agreement() * 100, 2)).append(" | ")
                    .append(String.format(Locale.ROOT, "%.2e", m.kl())).append(" | ")
                    .append(f(p.predictedLatencyMicros(), 1)).append(" | ").append(f(lat, 1)).append(" | ")
                    .append(describe(analysis, p.layerPrecisions())).append(" |\n");
        }
        s.append('\n');
        System.out.println(s);
        md.append(s);
    }

    private LatencyCheck latencyCheck(String label, boolean uniform, Map<Integer, LayerPrecision> plan,
            ModelAnalysis perLayer, ModelAnalysis apportioned, PerLayerLatencyProfiler.Settings settings,
            float[] input) {
        byte[] built = MixedPrecisionPipeline.build(perLayer, plan).tflite();
        double measured = PerLayerLatencyProfiler.medianMicros(built, input, settings);
        LatencyCheck c = new LatencyCheck(label, uniform, measured, perLayer.predictedLatencyMicros(plan),
                apportioned.predictedLatencyMicros(plan));
        log(String.format(Locale.ROOT, "  latency %-60s measured %7.1f per-layer %7.1f apportioned %7.1f", label,
                measured, c.perLayer(), c.apportioned()));
        return c;
    }

    private static String ratioSummary(String what, List<LatencyCheck> checks) {
        if (checks.isEmpty()) {
            return "";
        }
        double[] perLayer = checks.stream().mapToDouble(c -> c.perLayer() / c.measured()).sorted().toArray();
        double[] apportioned = checks.stream().mapToDouble(c -> c.apportioned() / c.measured()).sorted().toArray();
        return String.format(Locale.ROOT, "- %s (%d): Σ per-layer / measured median **%.2f** (range %.2f–%.2f); "
                + "Σ apportioned / measured median %.2f (range %.2f–%.2f)%n", what, checks.size(), median(perLayer),
                perLayer[0], perLayer[perLayer.length - 1], median(apportioned), apportioned[0],
                apportioned[apportioned.length - 1]);
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** FULL_INT8 and INT4_WEIGHTS under every range estimator, with and without bias correction. */
    private String estimatorStudy(byte[] floatModel, float[][] reference, Row floatRow) {
        log("  range estimators / bias correction");
        QuantizerOptions base = QuantizerOptions.defaults().withRangeEstimator(RangeEstimator.KL);
        CalibratedModel withHistograms = Quantizer.calibrate(floatModel, calibration, base);
        StringBuilder t = new StringBuilder("| mode | estimator | bias correction | top-1 | Δ pt | agreement | KL |\n"
                + "|---|---|---|---:|---:|---:|---:|\n");
        for (QuantizationMode mode : List.of(QuantizationMode.FULL_INT8, QuantizationMode.INT4_WEIGHTS)) {
            for (RangeEstimator estimator : RangeEstimator.values()) {
                for (boolean bc : new boolean[] {false, true}) {
                    QuantizerOptions o = estimator == RangeEstimator.PERCENTILE ? base.withPercentile(99.99)
                            : base.withRangeEstimator(estimator);
                    Measured m = measure(Quantizer.quantize(withHistograms, mode, o.withBiasCorrection(bc)).tflite(),
                            reference);
                    t.append("| ").append(mode).append(" | ").append(estimator)
                            .append(estimator == RangeEstimator.PERCENTILE ? " 99.99" : "").append(" | ")
                            .append(bc ? "on" : "off").append(" | ").append(f(m.top1() * 100, 2)).append(" | ")
                            .append(f((m.top1() - floatRow.m().top1()) * 100, 2)).append(" | ")
                            .append(f(m.agreement() * 100, 2)).append(" | ")
                            .append(String.format(Locale.ROOT, "%.2e", m.kl())).append(" |\n");
                }
            }
        }
        return t.toString();
    }

    private Row ilpRow(MixedPrecisionPipeline pipeline, ModelAnalysis analysis, PlanRequest request,
            float[][] reference, List<Long> planMillis, String label) {
        long p0 = System.nanoTime();
        MixedBuild result = pipeline.planAndBuild(analysis, request, 6);
        planMillis.add((System.nanoTime() - p0) / 1_000_000);
        return row(label, result.model().tflite(), result.plan().predictedModelBytes(), reference, true,
                describe(analysis, result.plan()) + (result.rounds() > 1 ? " (" + result.rounds() + " rounds)" : ""));
    }

    private List<Trial> trials(ModelAnalysis analysis, MixedPrecisionPipeline pipeline, float[][] reference,
            int salt) {
        Random random = new Random(SEED + salt);
        List<Trial> trials = new ArrayList<>();
        List<OpInfo> ops = analysis.model().ops();
        for (int k = 0; k < randomPlans; k++) {
            Map<Integer, LayerPrecision> plan = new HashMap<>();
            for (OpInfo op : ops) {
                List<LayerPrecision> c = analysis.candidates(op);
                plan.put(op.index(), c.get(random.nextInt(c.size())));
            }
            double predicted = analysis.predictedLoss(plan, SensitivityMetric.OUTPUT_KL);
            byte[] randomModel = MixedPrecisionPipeline.build(analysis, plan).tflite();
            long bytes = randomModel.length;
            Measured randomMeasured = measure(randomModel, reference);
            // the ILP plan must build to at most the random plan's real size
            MixedBuild ilpBuild;
            try {
                ilpBuild = pipeline.planAndBuild(analysis, PlanRequest.sizeBudget(bytes), 6);
            } catch (PlanInfeasibleException ex) {
                log("  trial " + (k + 1) + ": no ILP plan builds within " + bytes + " B (counted as a loss): "
                        + ex.getMessage());
                trials.add(new Trial(bytes, predicted, randomMeasured, 0, Double.NaN, null, false, plan));
                continue;
            }
            MixedPlan ilp = ilpBuild.plan();
            Measured ilpMeasured = measure(ilpBuild.model().tflite(), reference);
            boolean same = ilp.layerPrecisions().equals(plan);
            trials.add(new Trial(bytes, predicted, randomMeasured, ilpBuild.model().sizeBytes(), ilp.predictedLoss(),
                    ilpMeasured, same, plan));
            log(String.format(Locale.ROOT, "  trial %2d: %8d B  random top1 %.4f agree %.4f kl %.5f | ILP %8d B "
                    + "top1 %.4f agree %.4f kl %.5f -> %s", k + 1, bytes, randomMeasured.top1(),
                    randomMeasured.agreement(), randomMeasured.kl(), ilpBuild.model().sizeBytes(), ilpMeasured.top1(),
                    ilpMeasured.agreement(), ilpMeasured.kl(), trials.get(trials.size() - 1).outcome()));
        }
        return trials;
    }

    private void printAndRecord(FixtureModel fixture, List<Row> rows, Row floatRow,
            Map<QuantizationMode, Row> byMode, ModelAnalysis analysis, long analysisMs, List<Long> planMillis,
            Row midRow, List<Trial> trials, long int4, long int8, long mid, String study) {
        StringBuilder t = new StringBuilder();
        t.append("| variant | size B | ×smaller | top-1 | Δ pt | agreement | KL | p50/p95 µs 1T | p50/p95 µs 2T "
                + "| steps / nodes | plan |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Row r : rows) {
            if (r.m() == null) {
                t.append("| ").append(r.variant()).append(" | – | – | – | – | – | – | – | – | – | ").append(r.note())
                        .append(" |\n");
                continue;
            }
            t.append("| ").append(r.variant()).append(" | ").append(r.bytes())
                    .append(r.predictedBytes() == null ? "" : " (pred " + r.predictedBytes() + ")")
                    .append(" | ").append(f(floatRow.bytes() / (double) r.bytes(), 2))
                    .append(" | ").append(f(r.m().top1() * 100, 2))
                    .append(" | ").append(f((r.m().top1() - floatRow.m().top1()) * 100, 2))
                    .append(" | ").append(f(r.m().agreement() * 100, 2))
                    .append(" | ").append(String.format(Locale.ROOT, "%.2e", r.m().kl()))
                    .append(" | ").append(lat(r.lat1())).append(" | ").append(lat(r.lat2()))
                    .append(" | ").append(r.steps()).append(" | ").append(r.note()).append(" |\n");
        }
        double[] predicted = trials.stream().mapToDouble(Trial::predictedLoss).toArray();
        double[] measuredKl = trials.stream().mapToDouble(x -> x.random().kl()).toArray();
        double[] measuredDisagree = trials.stream().mapToDouble(x -> 1 - x.random().agreement()).toArray();
        double[] measuredDrop = trials.stream().mapToDouble(x -> floatRow.m().top1() - x.random().top1()).toArray();
        double rhoKl = trials.size() >= 2 ? RankCorrelation.spearman(predicted, measuredKl) : Double.NaN;
        double rhoAgree = trials.size() >= 2 ? RankCorrelation.spearman(predicted, measuredDisagree) : Double.NaN;
        double rhoTop1 = trials.size() >= 2 ? RankCorrelation.spearman(predicted, measuredDrop) : Double.NaN;
        long beats = trials.stream().filter(Trial::ilpBeats).count();
        long same = trials.stream().filter(Trial::samePlan).count();
        long beatsDistinct = trials.stream().filter(x -> !x.samePlan() && x.ilpBeats()).count();
        List<Trial> solved = trials.stream().filter(x -> x.ilp() != null).toList();
        long notWorseAgree = solved.stream().filter(x -> x.ilp().agreement() >= x.random().agreement()).count();
        long notWorseTop1 = solved.stream().filter(x -> x.ilp().top1() >= x.random().top1()).count();
        long lowerKl = solved.stream().filter(x -> x.ilp().kl() < x.random().kl()).count();
        double planAvg = planMillis.stream().mapToLong(Long::longValue).average().orElse(Double.NaN);

        StringBuilder s = new StringBuilder();
        s.append("## ").append(fixture.baseName()).append("\n\n");
        s.append("Float model ").append(floatRow.bytes()).append(" B, ").append(analysis.model().ops().size())
                .append(" operators; predicted uniform sizes: int4-weights ").append(int4).append(" B, int8 ")
                .append(int8).append(" B; fixed bytes outside the layers ").append(analysis.fixedBytes())
                .append(" B.\n\n");
        s.append(t).append('\n');
        s.append(String.format(Locale.ROOT, "Analysis wall time %d ms (calibration %d ms, sensitivity %d ms over %d "
                + "single-layer builds on %d samples, latency table %d ms); planning %.0f ms per plan on average "
                + "(CP-SAT, %d plans).%n%n", analysisMs, analysis.timings().calibrationMillis(),
                analysis.timings().sensitivityMillis(), analysis.sensitivities().size(), calibration.count(),
                analysis.timings().latencyMillis(), planAvg, planMillis.size() + trials.size()));
        long wins = trials.stream().filter(x -> x.outcome() == Outcome.WIN).count();
        long losses = trials.stream().filter(x -> x.outcome() == Outcome.LOSS).count();
        long tiesSame = trials.stream().filter(x -> x.outcome() == Outcome.TIE_SAME_PLAN).count();
        long tiesTop1 = trials.stream().filter(x -> x.outcome() == Outcome.TIE_EQUAL_TOP1).count();
        WilsonInterval winRate = WilsonInterval.of95(wins, wins + losses);
        s.append(String.format(Locale.ROOT, "Sensitivity-driven (ILP) plan vs random plans of equal size (%d random "
                + "plans, each layer uniformly among its candidates; the ILP plan is re-planned until it builds to at "
                + "most the random model's real size; compared on measured top-1 over the %d eval samples): "
                + "**%d wins, %d losses, %d ties** (%d identical plans, %d equal top-1); win rate over the %d "
                + "non-tied trials **%.1f%%**, 95%% Wilson interval [%.1f%%, %.1f%%].%n%n", trials.size(),
                eval.count(), wins, losses, tiesSame + tiesTop1, tiesSame, tiesTop1, wins + losses,
                winRate.proportion() * 100, winRate.low() * 100, winRate.high() * 100));
        s.append(String.format(Locale.ROOT, "Secondary criteria over the same trials: "
                + "ILP has higher agreement with float (ties broken by lower KL) in %d/%d (%d/%d of the distinct "
                + "plans); agreement not worse %d/%d; top-1 not worse %d/%d; measured KL lower %d/%d.%n%n", beats,
                trials.size(), beatsDistinct,
                trials.size() - same, notWorseAgree, trials.size(), notWorseTop1, trials.size(), lowerKl,
                trials.size()));
        s.append(String.format(Locale.ROOT, "Spearman rank correlation of the predicted additive loss (sum of "
                + "single-layer KLs) over the %d random plans: vs measured KL **%.3f**, vs measured disagreement with "
                + "float %.3f, vs top-1 drop %.3f.%n%n", trials.size(), rhoKl, rhoAgree, rhoTop1));

        Row int8Row = byMode.get(QuantizationMode.FULL_INT8);
        Row int4Row = byMode.get(QuantizationMode.INT4_WEIGHTS);
        s.append("Range estimators and bias correction (same calibration, eval set):\n\n").append(study)
                .append('\n');
        s.append("Targets:\n\n");
        if (int8Row != null) {
            double drop = (floatRow.m().top1() - int8Row.m().top1()) * 100;
            s.append(check(drop <= 0.5, String.format(Locale.ROOT, "full int8 top-1 drop ≤ 0.5 pt: %.2f pt", drop)));
            double ratio = floatRow.bytes() / (double) int8Row.bytes();
            s.append(check(ratio >= 3.5, String.format(Locale.ROOT, "full int8 ≥ 3.5× smaller: %.2f×", ratio)));
            double speed1 = floatRow.lat1().p50Micros() / int8Row.lat1().p50Micros();
            double speed2 = floatRow.lat2().p50Micros() / int8Row.lat2().p50Micros();
            s.append(check(speed1 > 1.0, String.format(Locale.ROOT, "full int8 faster than float (p50): %.2f× at 1 "
                    + "thread, %.2f× at 2 threads", speed1, speed2)));
        }
        if (midRow != null && int4Row != null) {
            double margin = (midRow.m().top1() - int4Row.m().top1()) * 100;
            double fromFloat = (floatRow.m().top1() - midRow.m().top1()) * 100;
            s.append(check(margin > 0 && midRow.bytes() >= int4Row.bytes(), String.format(Locale.ROOT,
                    "ILP at the int4/int8 midpoint budget (%d B) beats the uniform int4-weights plan (%d B, the only "
                            + "uniform plan of smaller size): %+.2f pt top-1", mid, int4Row.bytes(), margin)));
            s.append(check(fromFloat <= 1.0, String.format(Locale.ROOT,
                    "same ILP plan ≤ 1 pt from float: %.2f pt", fromFloat)));
        }
        if (!trials.isEmpty()) {
            s.append(check(wins + losses > 0 && winRate.proportion() >= 0.9, String.format(Locale.ROOT,
                    "sensitivity plan beats random plans of equal size in ≥ 90%% of trials (measured top-1, ties "
                            + "excluded): %d/%d = %.1f%%, 95%% Wilson interval [%.1f%%, %.1f%%]%s; %d ties of %d "
                            + "trials", wins, wins + losses, winRate.proportion() * 100, winRate.low() * 100,
                    winRate.high() * 100, winRate.low() >= 0.9 ? " (whole interval ≥ 90%)"
                            : " (interval reaches below 90%)", tiesSame + tiesTop1, trials.size())));
        }
        s.append('\n');
        System.out.println();
        System.out.println(s);
        md.append(s);
    }

    private static String check(boolean ok, String text) {
        return "- " + (ok ? "✅ met" : "❌ missed") + " — " + text + "\n";
    }

    private Row row(String variant, byte[] model, Long predicted, float[][] reference, boolean latency, String note) {
        Measured m = measure(model, reference);
        LatencySummary l1 = null;
        LatencySummary l2 = null;
        String steps;
        try (TfliteRunner runner = TfliteRunner.load(model, 1)) {
            steps = runner.executionSteps() + " / " + runner.nodeCount();
        }
        if (latency) {
            l1 = Evaluator.evaluate(model, eval, null, 1, LATENCY_WARMUP).latency();
            l2 = Evaluator.evaluate(model, eval, null, 2, LATENCY_WARMUP).latency();
        }
        log(String.format(Locale.ROOT, "  %-48s %9d B top1 %.4f agree %.4f kl %.2e p50 %s", variant, model.length,
                m.top1(), m.agreement(), m.kl(), l1 == null ? "-" : f(l1.p50Micros(), 1)));
        return new Row(variant, model.length, predicted, m, l1, l2, note, steps);
    }

    private Measured measure(byte[] model, float[][] reference) {
        float[][] out;
        try (TfliteRunner runner = TfliteRunner.load(model, 1)) {
            out = runner.inferAll(eval);
        }
        int correct = 0;
        int agree = 0;
        double kl = 0;
        for (int i = 0; i < out.length; i++) {
            int predicted = Evaluator.argmax(out[i]);
            if (eval.labels() != null && predicted == eval.labels()[i]) {
                correct++;
            }
            if (predicted == Evaluator.argmax(reference[i])) {
                agree++;
            }
            kl += kl(reference[i], out[i]);
        }
        return new Measured(correct / (double) out.length, agree / (double) out.length, kl / out.length);
    }

    /** KL(p || q) of two probability vectors (softmax outputs), clamped against log(0). */
    static double kl(float[] p, float[] q) {
        final double eps = 1e-8;
        double d = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] > 0) {
                d += p[i] * Math.log((p[i] + eps) / (Math.max(0, q[i]) + eps));
            }
        }
        return Math.max(0, d);
    }

    private static Map<Integer, LayerPrecision> uniform(ModelAnalysis analysis, LayerPrecision p) {
        Map<Integer, LayerPrecision> plan = new HashMap<>();
        for (OpInfo op : analysis.model().ops()) {
            List<LayerPrecision> c = analysis.candidates(op);
            plan.put(op.index(), c.contains(p) ? p : p == LayerPrecision.FLOAT16 ? LayerPrecision.FLOAT32
                    : LayerPrecision.INT8);
        }
        return plan;
    }

    private static String describe(ModelAnalysis analysis, MixedPlan plan) {
        return describe(analysis, plan.layerPrecisions());
    }

    private static String describe(ModelAnalysis analysis, Map<Integer, LayerPrecision> plan) {
        StringBuilder b = new StringBuilder();
        for (OpInfo op : analysis.model().ops()) {
            LayerPrecision p = plan.getOrDefault(op.index(), LayerPrecision.FLOAT32);
            String code = p == LayerPrecision.FLOAT32 ? "f32" : p == LayerPrecision.FLOAT16 ? "f16"
                    : p == LayerPrecision.INT8 ? "i8" : "i4";
            b.append(b.length() == 0 ? "" : " ").append(code);
        }
        return b.toString();
    }

    private static String lat(LatencySummary l) {
        return l == null ? "–" : f(l.p50Micros(), 0) + " / " + f(l.p95Micros(), 0);
    }

    private static String f(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException ex) {
            return "unknown CPU (" + ex.getMessage() + ")";
        }
        return "unknown CPU";
    }

    private void write(Path output) {
        md.append(String.format(Locale.ROOT, "Load average at the end of the run: %.2f.%n%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        md.append("Steps / nodes: interpreter execution steps per inference vs graph nodes (operators + delegate "
                + "kernels), measured on the loaded interpreter. The default XNNPACK delegate of the bundled TFLite "
                + "2.19 build has signed-int8 (QS8) support switched off (its default options carry flags 0), so "
                + "TfliteRunner applies its own XNNPACK delegate with QS8/QU8 on: float32 / float16-weight graphs "
                + "collapse into one XNNPACK step, full-int8 graphs into three (the int8 SOFTMAX stays on the builtin "
                + "kernel); int16x8 and hybrid (dynamic-range) operators are not delegated (steps = nodes). On this "
                + "AVX2-only host (no VNNI) XNNPACK's int8 convolutions are no faster than its float ones, so int8 "
                + "only wins on the weight-bound MLP. Latencies on a shared 2-core machine: indicative; compare "
                + "ratios within one run.\n\n");
        md.append("Plan column: one code per operator in graph order (f32 / f16 / i8 / i4 = int4 weights with int8 "
                + "activations). Sizes predicted from parameter counts (LayerSizeModel) plus the float model's fixed "
                + "bytes. Latency tables: \"apportioned\" = uniform-model host benchmark apportioned by MACs "
                + "(LatencyProfiler, what --latency apportioned uses); \"per-layer\" = single-operator models timed "
                + "one at a time (PerLayerLatencyProfiler, --latency per-layer); both are host micro-benchmarks "
                + "(LatencyTable.Source.SEEDED). The size-budgeted plans above do not use a latency table.\n");
        try {
            Path parent = output.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(output, md.toString());
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write " + output, ex);
        }
        log("report written to " + output.toAbsolutePath().normalize());
    }

    private static void log(String line) {
        System.err.println(line);
        System.err.flush();
    }
}
