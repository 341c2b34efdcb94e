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
import io.edgefleet.quantizer.mixed.PlanInfeasibleException;
import io.edgefleet.quantizer.mixed.PlanRequest;
import io.edgefleet.quantizer.mixed.RankCorrelation;
import io.edgefleet.quantizer.mixed.SensitivityMetric;
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
    private static final long SEED = 20261123L;

    private final int randomPlans;
    private final SampleSet calibration;
    private final SampleSet eval;
    private final StringBuilder md = new StringBuilder();
    private final Planner planner = new Planner();

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

    /** One random plan and the ILP plan of the same predicted size. */
    record Trial(long bytes, double predictedLoss, Measured random, long ilpBytes, double ilpPredictedLoss,
            Measured ilp, boolean samePlan) {
        boolean ilpBeats() {
            return ilp != null && (ilp.agreement() > random.agreement()
                    || (ilp.agreement() == random.agreement() && ilp.kl() < random.kl()));
        }
    }

    public static void main(String[] args) {
        List<FixtureModel> models = new ArrayList<>(List.of(FixtureModel.values()));
        int random = 20;
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
        bench.header(models, output);
        for (FixtureModel model : models) {
            bench.run(model);
        }
        bench.write(output);
    }

    private void header(List<FixtureModel> models, Path output) {
        md.append("# Quantization benchmark\n\n");
        md.append("Produced by `./mvnw -Pbench -pl benchmarks -am verify -DskipTests` (module `benchmarks`, class `")
                .append(getClass().getName()).append("`; options `-Dbench.models=FASHION_CNN,... "
                        + "-Dbench.randomPlans=N`). Generated ").append(Instant.now()).append(".\n\n");
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
                trials.add(new Trial(bytes, predicted, randomMeasured, 0, Double.NaN, null, false));
                continue;
            }
            MixedPlan ilp = ilpBuild.plan();
            Measured ilpMeasured = measure(ilpBuild.model().tflite(), reference);
            boolean same = ilp.layerPrecisions().equals(plan);
            trials.add(new Trial(bytes, predicted, randomMeasured, ilpBuild.model().sizeBytes(), ilp.predictedLoss(),
                    ilpMeasured, same));
            log(String.format(Locale.ROOT, "  trial %2d: %8d B  random agree %.4f kl %.5f | ILP %8d B agree %.4f "
                    + "kl %.5f%s", k + 1, bytes, randomMeasured.agreement(), randomMeasured.kl(),
                    ilpBuild.model().sizeBytes(), ilpMeasured.agreement(), ilpMeasured.kl(), same ? " (same plan)" : ""));
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
        long betterTop1 = solved.stream().filter(x -> x.ilp().top1() > x.random().top1()).count();
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
        s.append(String.format(Locale.ROOT, "Random plans (%d, each layer uniformly among its candidates) vs the ILP "
                + "plan built to at most the random model's real size: ILP beats random (higher agreement with float, ties "
                + "broken by lower KL) in **%d/%d** (%d random plans were identical to the ILP plan; ILP beats "
                + "%d/%d of the distinct ones); agreement not worse %d/%d; top-1 strictly better %d/%d, not worse "
                + "%d/%d; measured KL lower %d/%d.%n%n", trials.size(), beats, trials.size(), same, beatsDistinct,
                trials.size() - same, notWorseAgree, trials.size(), betterTop1, trials.size(), notWorseTop1,
                trials.size(), lowerKl, trials.size()));
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
            double rate = beats / (double) trials.size();
            double distinctRate = trials.size() == same ? Double.NaN : beatsDistinct / (double) (trials.size() - same);
            s.append(check(rate >= 0.9, String.format(Locale.ROOT,
                    "sensitivity plan beats random plans of equal size in ≥ 90%% of trials: %.0f%% of all trials "
                            + "(%.0f%% of the trials where the random plan differs from the ILP plan)", rate * 100,
                    distinctRate * 100)));
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
        StringBuilder b = new StringBuilder();
        for (OpInfo op : analysis.model().ops()) {
            LayerPrecision p = plan.layerPrecisions().get(op.index());
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
                + "bytes. Latency table for planning: uniform-model host benchmark apportioned by MACs "
                + "(LatencyProfiler); the size-budgeted plans above do not use it.\n");
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
