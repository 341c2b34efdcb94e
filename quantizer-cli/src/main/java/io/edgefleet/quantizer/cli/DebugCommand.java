package io.edgefleet.quantizer.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefleet.quantization.samples.SampleSet;
import io.edgefleet.quantization.sensitivity.TensorDebugger;
import io.edgefleet.quantization.sensitivity.TensorDiff;
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

/** Per-tensor comparison of a quantized model with its float model (JSON + table, flagged tensors). */
@Command(name = "debug", mixinStandardHelpOptions = true,
        description = "Per-tensor float vs quantized report: MSE, max |error|, RMSE/scale, SNR; flags tensors "
                + "below the SNR threshold or above the RMSE/scale threshold.")
final class DebugCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "float32 .tflite model")
    Path floatModel;

    @Parameters(index = "1", description = "quantized .tflite model built from it")
    Path quantizedModel;

    @Option(names = {"-s", "--samples"}, required = true, description = "samples to run (.efs)")
    Path samples;

    @Option(names = "--max-samples", defaultValue = "200", description = "cap on samples (default ${DEFAULT-VALUE})")
    int maxSamples;

    @Option(names = "--snr-threshold", defaultValue = "20", description = "flag tensors with SNR below this many dB "
            + "(default ${DEFAULT-VALUE})")
    double snrThreshold;

    @Option(names = "--rmse-scale-threshold", defaultValue = "2",
            description = "flag integer tensors whose RMSE exceeds this many quantization steps (default ${DEFAULT-VALUE})")
    double rmseScaleThreshold;

    @Option(names = "--threads", defaultValue = "1", description = "interpreter threads")
    int threads;

    @Option(names = "--json", description = "write the per-tensor report JSON here")
    Path json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        byte[] f = Inputs.readModel(floatModel);
        byte[] q = Inputs.readModel(quantizedModel);
        SampleSet set = Inputs.readSamples(samples, maxSamples);
        List<TensorDiff> diffs = TensorDebugger.compare(f, q, set, threads);
        Table table = new Table("tensor", "type", "scale", "MSE", "max |err|", "RMSE/scale", "SNR dB", "flag");
        ArrayNode rows = PlanFile.mapper().createArrayNode();
        int flagged = 0;
        for (TensorDiff d : diffs) {
            double rmseScale = d.scale() > 0 ? Math.sqrt(d.mse()) / d.scale() : Double.NaN;
            boolean flag = d.snrDb() < snrThreshold || rmseScale > rmseScaleThreshold;
            flagged += flag ? 1 : 0;
            table.row(d.name(), d.quantizedType(), Table.e(d.scale()), Table.e(d.mse()), Table.e(d.maxAbsDiff()),
                    Table.f(rmseScale, 3), Table.f(d.snrDb(), 1), flag ? "!" : "");
            ObjectNode row = rows.addObject();
            row.put("name", d.name());
            row.put("quantizedType", d.quantizedType());
            row.put("scale", d.scale());
            row.put("mse", d.mse());
            row.put("maxAbsDiff", d.maxAbsDiff());
            if (Double.isNaN(rmseScale)) {
                row.putNull("rmseOverScale");
            } else {
                row.put("rmseOverScale", rmseScale);
            }
            if (Double.isFinite(d.snrDb())) {
                row.put("snrDb", d.snrDb());
            } else {
                row.putNull("snrDb");
            }
            row.put("flagged", flag);
        }
        table.print(out);
        out.printf("%d tensors compared on %d samples, %d flagged (SNR < %.1f dB or RMSE/scale > %.2f)%n",
                diffs.size(), set.count(), flagged, snrThreshold, rmseScaleThreshold);
        if (json != null) {
            ObjectNode root = PlanFile.mapper().createObjectNode();
            root.put("floatModel", floatModel.toString());
            root.put("quantizedModel", quantizedModel.toString());
            root.put("samples", set.count());
            root.put("snrThresholdDb", snrThreshold);
            root.put("rmseScaleThreshold", rmseScaleThreshold);
            root.put("flagged", flagged);
            root.set("tensors", rows);
            PlanFile.write(json, root);
        }
        return ExitCodes.OK;
    }
}
