package io.edgefleet.quantizer.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefleet.quantization.eval.EvalResult;
import io.edgefleet.quantization.eval.Evaluator;
import io.edgefleet.quantization.samples.SampleSet;
import io.edgefleet.quantizer.mixed.PlanFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Top-1, agreement with a reference model and latency percentiles in the TFLite runtime. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Run a model over an eval set: top-1 (labelled sets), agreement with --reference, latency "
                + "p50/p95/p99 per thread count.")
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = ".tflite model (float or quantized)")
    Path model;

    @Option(names = {"-e", "--eval"}, required = true, description = "evaluation set (.efs)")
    Path eval;

    @Option(names = {"-r", "--reference"}, description = "reference model (e.g. the float model) for agreement")
    Path reference;

    @Option(names = "--threads", split = ",", defaultValue = "1", description = "thread counts, e.g. 1,2")
    List<Integer> threads;

    @Option(names = "--warmup", defaultValue = "20", description = "untimed warm-up inferences (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--max-samples", defaultValue = "0", description = "cap on eval samples (0 = all)")
    int maxSamples;

    @Option(names = "--json", description = "also write the results as JSON here")
    Path json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        byte[] bytes = Inputs.readModel(model);
        SampleSet set = Inputs.readSamples(eval, maxSamples);
        float[][] ref = reference == null ? null
                : Evaluator.referenceOutputs(Inputs.readModel(reference), set, 1);
        Table table = new Table("threads", "samples", "top-1", "agreement", "max |diff|", "p50 µs", "p95 µs", "p99 µs");
        ArrayNode results = PlanFile.mapper().createArrayNode();
        for (int t : threads) {
            EvalResult r = Evaluator.evaluate(bytes, set, ref, t, warmup);
            if (!r.allFinite()) {
                spec.commandLine().getErr().println("warning: the model produced non-finite outputs");
            }
            table.row(t, r.samples(), Table.f(r.top1Accuracy(), 4), Table.f(r.agreementWithReference(), 4),
                    Table.e(r.maxAbsDiffVsReference()), Table.f(r.latency().p50Micros(), 1),
                    Table.f(r.latency().p95Micros(), 1), Table.f(r.latency().p99Micros(), 1));
            ObjectNode row = PlanFile.mapper().valueToTree(r);
            row.put("threads", t);
            results.add(row);
        }
        out.printf("%s (%d B) on %s%n", model.getFileName(), bytes.length, eval.getFileName());
        table.print(out);
        if (json != null) {
            ObjectNode root = PlanFile.mapper().createObjectNode();
            root.put("model", model.toString());
            root.put("modelBytes", bytes.length);
            root.set("results", results);
            PlanFile.write(json, root);
        }
        return ExitCodes.OK;
    }
}
