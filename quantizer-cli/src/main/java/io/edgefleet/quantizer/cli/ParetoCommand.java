package io.edgefleet.quantizer.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefleet.planner.Planner;
import io.edgefleet.planner.Precision;
import io.edgefleet.planner.pareto.ParetoAxis;
import io.edgefleet.planner.pareto.SkippedBudget;
import io.edgefleet.quantization.eval.EvalResult;
import io.edgefleet.quantization.eval.Evaluator;
import io.edgefleet.quantization.samples.SampleSet;
import io.edgefleet.quantizer.mixed.CliErrorCode;
import io.edgefleet.quantizer.mixed.LatencyMethod;
import io.edgefleet.quantizer.mixed.MixedPrecisionPipeline;
import io.edgefleet.quantizer.mixed.ModelAnalysis;
import io.edgefleet.quantizer.mixed.ParetoSweep;
import io.edgefleet.quantizer.mixed.PlanFile;
import io.edgefleet.quantizer.mixed.QuantizerCliException;
import io.edgefleet.quantizer.mixed.SensitivityMetric;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Budget sweep → Pareto frontier of predicted loss vs size or latency, next to the uniform plans. */
@Command(name = "pareto", mixinStandardHelpOptions = true,
        description = "Sweep the size (or latency) budget from the cheapest to the dearest plan, solve each budget "
                + "for minimum predicted loss (OR-Tools CP-SAT) and print the non-dominated plans next to the "
                + "uniform int8 / int4-weights / float16 plans; --measure builds every plan and evaluates it.")
final class ParetoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PlanningInputs inputs;

    @Option(names = "--axis", defaultValue = "size", description = "cost axis: size or latency (default "
            + "${DEFAULT-VALUE})")
    String axis;

    @Option(names = "--steps", defaultValue = "21", description = "budgets swept, evenly spaced from the cheapest "
            + "to the dearest plan, both included (>= 2, default ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--measure", description = "build every frontier plan and uniform baseline and evaluate it on "
            + "--eval (size, top-1, agreement with the float model, p50 latency)")
    boolean measure;

    @Option(names = {"-e", "--eval"}, description = "evaluation set (.efs) for --measure")
    Path eval;

    @Option(names = "--max-eval-samples", defaultValue = "0", description = "cap on eval samples (0 = all)")
    int maxEvalSamples;

    @Option(names = "--json", description = "write the frontier as JSON here")
    Path json;

    @Option(names = "--csv", description = "write the frontier as CSV here (one row per plan)")
    Path csv;

    @Mixin
    CommonOptions common;

    @Mixin
    LatencyOptions latency;

    /** An unknown {@code --precisions} value is a usage error of this command. */
    private static Precision precision(String key) {
        try {
            return Precision.fromKey(key);
        } catch (RuntimeException ex) {
            throw new QuantizerCliException(CliErrorCode.INVALID_ARGUMENT, "unknown precision '" + key + "'", ex);
        }
    }

    /** What --measure found for one plan. */
    record Measured(int sizeBytes, double top1, double agreement, double p50Micros) {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ParetoAxis paretoAxis = switch (axis.trim().toLowerCase(Locale.ROOT)) {
            case "size" -> ParetoAxis.SIZE;
            case "latency" -> ParetoAxis.LATENCY;
            default -> throw new ParameterException(spec.commandLine(), "--axis must be size or latency, was '"
                    + axis + "'");
        };
        if (steps < 2) {
            throw new ParameterException(spec.commandLine(), "--steps must be >= 2, was " + steps);
        }
        if (measure && eval == null) {
            throw new ParameterException(spec.commandLine(), "--measure needs an evaluation set (-e eval.efs)");
        }
        SensitivityMetric m = inputs.metric();
        LatencyMethod method = latency.method(paretoAxis == ParetoAxis.LATENCY ? LatencyMethod.PER_LAYER : null);
        if (paretoAxis == ParetoAxis.LATENCY && (method == null || latency.latencyRuns == 0)) {
            throw new ParameterException(spec.commandLine(), "--axis latency needs a latency table (--latency "
                    + "per-layer or apportioned)");
        }
        Set<Precision> allowed = inputs.allowedPrecisions(ParetoCommand::precision);
        PlanningInputs.Loaded in = inputs.read();
        byte[] bytes = in.model();
        SampleSet evalSet = measure ? Inputs.readSamples(eval, maxEvalSamples) : null;
        long start = System.nanoTime();
        ModelAnalysis analysis = PlanningInputs.analyze(in, m, allowed, common, latency, method, err);
        Progress.stage(err, common.quiet, "sweeping " + steps + " " + paretoAxis.name().toLowerCase(Locale.ROOT)
                + " budgets");
        ParetoSweep.Result result = ParetoSweep.sweep(new Planner(), analysis, m, paretoAxis, steps, allowed);
        long millis = (System.nanoTime() - start) / 1_000_000;

        List<ParetoSweep.SweepPlan> all = new ArrayList<>(result.points());
        all.addAll(result.baselines());
        List<Measured> measured = new ArrayList<>();
        Measured floatMeasured = null;
        if (measure) {
            float[][] reference = Evaluator.referenceOutputs(bytes, evalSet, 1);
            EvalResult f = Evaluator.evaluate(bytes, evalSet, reference, common.threads, 10);
            floatMeasured = new Measured(bytes.length, f.top1Accuracy(), f.agreementWithReference(),
                    f.latency().p50Micros());
            ProgressCounter counter = new ProgressCounter(err, common.quiet, all.size());
            for (ParetoSweep.SweepPlan plan : all) {
                byte[] built = MixedPrecisionPipeline.build(analysis, plan.layerPrecisions()).tflite();
                EvalResult r = Evaluator.evaluate(built, evalSet, reference, common.threads, 10);
                measured.add(new Measured(built.length, r.top1Accuracy(), r.agreementWithReference(),
                        r.latency().p50Micros()));
                counter.step(plan.label());
            }
        }

        out.printf("Pareto frontier of %s: predicted loss (%s) vs %s, %d budgets swept, %d non-dominated plans "
                + "(%d budgets without a plan)%n", inputs.model.getFileName(), m.key(),
                paretoAxis == ParetoAxis.SIZE ? "model size" : "predicted latency", steps, result.points().size(),
                result.frontier().skipped().size());
        List<String> header = new ArrayList<>(List.of("plan", paretoAxis == ParetoAxis.SIZE ? "budget B" : "budget µs",
                "pred loss", "pred size B", "pred latency µs", "precisions"));
        if (measure) {
            header.addAll(List.of("size B", "top-1", "agreement", "p50 µs"));
        }
        Table table = new Table(header.toArray(String[]::new));
        for (int i = 0; i < all.size(); i++) {
            ParetoSweep.SweepPlan p = all.get(i);
            boolean baseline = i >= result.points().size();
            List<Object> row = new ArrayList<>(List.of(baseline ? "uniform " + p.label() : p.label(),
                    baseline ? "" : budget(paretoAxis, p.budget()), Table.e(p.predictedLoss()),
                    p.predictedModelBytes(), Table.f(p.predictedLatencyMicros(), 1), p.histogram()));
            if (measure) {
                Measured x = measured.get(i);
                row.addAll(List.of(x.sizeBytes(), Table.f(x.top1(), 4), Table.f(x.agreement(), 4),
                        Table.f(x.p50Micros(), 1)));
            }
            table.row(row.toArray());
        }
        if (measure) {
            table.row("float32 model", "", Table.e(0), analysis.model().sizeBytes(), "", "", floatMeasured.sizeBytes(),
                    Table.f(floatMeasured.top1(), 4), Table.f(floatMeasured.agreement(), 4),
                    Table.f(floatMeasured.p50Micros(), 1));
        }
        table.print(out);
        for (SkippedBudget s : result.frontier().skipped()) {
            out.printf("no plan at f=%.2f: %s%n", s.fraction(), s.reason());
        }
        out.printf("analysis + sweep %d ms%s%n", millis, analysis.latency() == null ? ""
                : "; latency table: " + analysis.options().latencyMethod().key() + " host benchmark");
        if (json != null) {
            PlanFile.write(json, toJson(analysis, result, all, measured, floatMeasured));
            out.println("frontier written to " + json);
        }
        if (csv != null) {
            Inputs.write(csv, toCsv(result, all, measured).getBytes(StandardCharsets.UTF_8));
            out.println("frontier written to " + csv);
        }
        return ExitCodes.OK;
    }

    private static String budget(ParetoAxis axis, double budget) {
        return axis == ParetoAxis.SIZE ? Long.toString((long) Math.floor(budget)) : Table.f(budget, 1);
    }

    private ObjectNode toJson(ModelAnalysis analysis, ParetoSweep.Result result, List<ParetoSweep.SweepPlan> all,
            List<Measured> measured, Measured floatMeasured) {
        ObjectNode root = PlanFile.mapper().createObjectNode();
        root.put("model", inputs.model.toString());
        root.put("floatModelBytes", analysis.model().sizeBytes());
        root.put("axis", result.axis().name().toLowerCase(Locale.ROOT));
        root.put("metric", result.metric().key());
        root.put("steps", steps);
        root.put("fixedBytes", analysis.fixedBytes());
        if (analysis.latency() != null) {
            root.put("latencyMethod", analysis.options().latencyMethod().key());
        } else {
            root.putNull("latencyMethod");
        }
        ArrayNode points = root.putArray("points");
        ArrayNode baselines = root.putArray("baselines");
        for (int i = 0; i < all.size(); i++) {
            ParetoSweep.SweepPlan p = all.get(i);
            ObjectNode n = (i < result.points().size() ? points : baselines).addObject();
            n.put("label", p.label());
            if (Double.isNaN(p.fraction())) {
                n.putNull("fraction");
                n.putNull("budget");
            } else {
                n.put("fraction", p.fraction());
                n.put("budget", p.budget());
            }
            n.put("predictedLoss", p.predictedLoss());
            n.put("predictedModelBytes", p.predictedModelBytes());
            if (Double.isNaN(p.predictedLatencyMicros())) {
                n.putNull("predictedLatencyMicros");
            } else {
                n.put("predictedLatencyMicros", p.predictedLatencyMicros());
            }
            n.put("histogram", p.histogram());
            n.put("planHash", p.planHash());
            n.set("layers", PlanFile.layers(analysis.model(), p.layerPrecisions()));
            if (!measured.isEmpty()) {
                n.set("measured", measuredJson(measured.get(i)));
            }
        }
        if (floatMeasured != null) {
            root.set("floatMeasured", measuredJson(floatMeasured));
        }
        ArrayNode skipped = root.putArray("skipped");
        for (SkippedBudget s : result.frontier().skipped()) {
            ObjectNode n = skipped.addObject();
            n.put("fraction", s.fraction());
            n.put("reason", s.reason());
        }
        return root;
    }

    private static ObjectNode measuredJson(Measured m) {
        ObjectNode n = PlanFile.mapper().createObjectNode();
        n.put("sizeBytes", m.sizeBytes());
        if (Double.isNaN(m.top1())) {
            n.putNull("top1");
        } else {
            n.put("top1", m.top1());
        }
        n.put("agreement", m.agreement());
        n.put("p50Micros", m.p50Micros());
        return n;
    }

    private static String toCsv(ParetoSweep.Result result, List<ParetoSweep.SweepPlan> all, List<Measured> measured) {
        StringBuilder b = new StringBuilder("kind,label,fraction,budget,predicted_loss,predicted_bytes,"
                + "predicted_latency_us,precisions,plan_hash,measured_bytes,top1,agreement,p50_us\n");
        for (int i = 0; i < all.size(); i++) {
            ParetoSweep.SweepPlan p = all.get(i);
            b.append(i < result.points().size() ? "frontier" : "uniform").append(',').append(p.label()).append(',')
                    .append(num(p.fraction())).append(',').append(num(p.budget())).append(',')
                    .append(num(p.predictedLoss())).append(',').append(p.predictedModelBytes()).append(',')
                    .append(num(p.predictedLatencyMicros())).append(',').append(p.histogram()).append(',')
                    .append(p.planHash());
            if (measured.isEmpty()) {
                b.append(",,,,");
            } else {
                Measured m = measured.get(i);
                b.append(',').append(m.sizeBytes()).append(',').append(num(m.top1())).append(',')
                        .append(num(m.agreement())).append(',').append(num(m.p50Micros()));
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }

    /** "[measure] i/n label" progress lines. */
    private static final class ProgressCounter {
        private final PrintWriter err;
        private final boolean quiet;
        private final int total;
        private int done;

        ProgressCounter(PrintWriter err, boolean quiet, int total) {
            this.err = err;
            this.quiet = quiet;
            this.total = total;
        }

        void step(String label) {
            done++;
            Progress.of(err, "measure", quiet).onStep(done, total, label);
        }
    }
}
