package io.edgefleet.quantizer.cli;

import io.edgefleet.planner.Objective;
import io.edgefleet.planner.Planner;
import io.edgefleet.planner.Precision;
import io.edgefleet.quantization.model.OpInfo;
import io.edgefleet.quantization.quantize.LayerPrecision;
import io.edgefleet.quantization.quantize.QuantizedModel;
import io.edgefleet.quantizer.mixed.LatencyMethod;
import io.edgefleet.quantizer.mixed.MixedBuild;
import io.edgefleet.quantizer.mixed.MixedPlan;
import io.edgefleet.quantizer.mixed.MixedPrecisionPipeline;
import io.edgefleet.quantizer.mixed.ModelAnalysis;
import io.edgefleet.quantizer.mixed.PlanFile;
import io.edgefleet.quantizer.mixed.PlanRequest;
import io.edgefleet.quantizer.mixed.PrecisionMapping;
import io.edgefleet.quantizer.mixed.SensitivityMetric;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Sensitivity analysis → OR-Tools plan under budgets → plan file (and optionally the built mixed model). */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Choose one precision per layer minimising the predicted (additive) loss under a model-size "
                + "and/or latency budget (OR-Tools CP-SAT). Prints the plan, predicted loss/size/latency; "
                + "explains infeasible budgets (exit code 5).")
final class PlanCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PlanningInputs inputs;

    @Option(names = "--size-budget", description = "max model size: bytes or 150KB / 146KiB / 1.5MB")
    String sizeBudget;

    @Option(names = "--latency-budget", description = "max predicted latency: 800us, 1.5ms")
    String latencyBudget;

    @Mixin
    LatencyOptions latency;

    @Option(names = {"-o", "--output"}, description = "write the plan JSON here")
    Path output;

    @Option(names = "--build", description = "also build the mixed model and write it here")
    Path build;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (sizeBudget == null && latencyBudget == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "give --size-budget and/or --latency-budget");
        }
        Long size = sizeBudget == null ? null : Inputs.parseSize(sizeBudget);
        Double micros = latencyBudget == null ? null : Inputs.parseMicros(latencyBudget);
        SensitivityMetric m = inputs.metric();
        Set<Precision> allowed = inputs.allowedPrecisions(Precision::fromKey);
        PlanningInputs.Loaded in = inputs.read();
        long start = System.nanoTime();
        ModelAnalysis analysis = PlanningInputs.analyze(in, m, allowed, common, latency,
                latency.method(micros != null ? LatencyMethod.APPORTIONED : null), err);
        Progress.stage(err, common.quiet, "solving the integer program");
        PlanRequest request = new PlanRequest(size, micros, m, allowed, Objective.MIN_PREDICTED_LOSS);
        MixedPrecisionPipeline pipeline = new MixedPrecisionPipeline(new Planner());
        QuantizedModel built = null;
        MixedPlan plan;
        if (build != null) {
            MixedBuild result = pipeline.planAndBuild(analysis, request, 4);
            plan = result.plan();
            built = result.model();
        } else {
            plan = pipeline.plan(analysis, request);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;

        Table table = new Table("layer", "precision", "bytes", "predicted loss", "latency µs");
        for (OpInfo op : analysis.model().ops()) {
            LayerPrecision p = plan.layerPrecisions().get(op.index());
            Precision key = PrecisionMapping.toPlanner(p);
            double loss = analysis.predictedLoss(java.util.Map.of(op.index(), p), m);
            double lat = analysis.latency() == null ? Double.NaN
                    : analysis.latency().micros(op.layerId(), key).orElse(Double.NaN);
            table.row(op.layerId(), key.key(), analysis.layerBytes(op.index(), p), Table.e(loss), Table.f(lat, 1));
        }
        table.print(out);
        out.printf("predicted model size %d B%s, predicted loss (%s) %s, predicted latency %s µs%n",
                plan.predictedModelBytes(), size == null ? "" : " (budget " + size + " B)", m.key(),
                Table.e(plan.predictedLoss()), Table.f(plan.predictedLatencyMicros(), 1));
        out.printf("float model %d B; plan hash %s; analysis + planning %d ms (solver %.3f s)%n",
                analysis.model().sizeBytes(), plan.plan().planHash(), millis, plan.plan().stats().wallTimeSeconds());
        if (output != null) {
            PlanFile.write(output, PlanFile.toJson(analysis.model(), plan));
            out.println("plan written to " + output);
        }
        if (built != null) {
            Inputs.write(build, built.tflite());
            out.printf("mixed model written to %s: %d B (predicted %d B)%n", build, built.sizeBytes(),
                    plan.predictedModelBytes());
        }
        return ExitCodes.OK;
    }
}
