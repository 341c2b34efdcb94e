package io.edgefleet.quantizer.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefleet.quantization.model.ModelSummary;
import io.edgefleet.quantization.model.TfliteModel;
import io.edgefleet.quantization.quantize.LayerPrecision;
import io.edgefleet.quantization.samples.SampleSet;
import io.edgefleet.quantization.sensitivity.LayerSensitivity;
import io.edgefleet.planner.Precision;
import io.edgefleet.quantizer.mixed.AnalysisOptions;
import io.edgefleet.quantizer.mixed.LatencyMethod;
import io.edgefleet.quantizer.mixed.MixedPrecisionPipeline;
import io.edgefleet.quantizer.mixed.ModelAnalysis;
import io.edgefleet.quantizer.mixed.PlanFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Graph summary, per-layer MACs / parameters and (with a calibration set) the per-layer sensitivity table. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Graph summary, per-layer MACs/params; with --calibration also the per-layer x precision "
                + "sensitivity table (forward passes in the TFLite runtime + data-free weight proxy) and, with "
                + "--latency apportioned|per-layer, the host latency table.")
final class AnalyzeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "float32 .tflite model")
    Path model;

    @Option(names = {"-c", "--calibration"}, description = "calibration set (.efs); enables the sensitivity table")
    Path calibration;

    @Option(names = "--sensitivity-samples",
            description = "samples the single-layer models are compared on (.efs; default: the calibration set)")
    Path sensitivitySamples;

    @Option(names = "--max-sensitivity-samples", defaultValue = "500",
            description = "cap on the sensitivity samples (default ${DEFAULT-VALUE})")
    int maxSensitivitySamples;

    @Option(names = "--json", description = "also write the analysis as JSON to this file")
    Path json;

    @Mixin
    CommonOptions common;

    @Mixin
    LatencyOptions latency;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LatencyMethod method = latency.method(null);
        if (calibration == null && (method != null || latency.latencyRuns > 0)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "a latency table needs --calibration");
        }
        byte[] bytes = Inputs.readModel(model);
        TfliteModel parsed = TfliteModel.parse(bytes);
        parsed.requireFloatModelSupported();
        ModelSummary s = parsed.summary();
        out.printf("model %s: %d bytes, %d operators, %d tensors, input %s %s, output %s %s%n", model.getFileName(),
                s.modelBytes(), s.operatorCount(), s.tensorCount(), s.inputShape(), s.inputType(), s.outputShape(),
                s.outputType());
        out.printf("total MACs %d, parameters %d (%d bytes)%n%n", s.totalMacs(), s.totalParameters(),
                s.totalParameterBytes());
        Table layers = new Table("layer", "output", "MACs", "params", "param bytes", "weights");
        for (ModelSummary.LayerSummary l : s.layers()) {
            layers.row(l.layerId(), l.outputShape(), l.macs(), l.parameters(), l.parameterBytes(), l.weightType());
        }
        layers.print(out);
        ObjectNode root = PlanFile.mapper().valueToTree(s);
        if (calibration != null) {
            SampleSet calib = Inputs.readSamples(calibration, 0);
            SampleSet sens = sensitivitySamples == null ? null
                    : Inputs.readSamples(sensitivitySamples, maxSensitivitySamples);
            ModelAnalysis analysis = MixedPrecisionPipeline.analyze(bytes, calib, sens,
                    latency.apply(AnalysisOptions.defaults().withQuantizer(common.quantizerOptions()), method,
                            common.threads),
                    Progress.of(err, "sensitivity", common.quiet));
            out.println();
            out.printf("sensitivity (one layer quantized at a time, vs float; %d ms):%n",
                    analysis.timings().totalMillis());
            Table table = new Table("layer", "precision", "top1 agree", "output MSE", "output KL", "||W-Q(W)||^2/||W||^2",
                    "bytes");
            ArrayNode rows = root.putArray("sensitivity");
            for (LayerSensitivity l : analysis.sensitivities()) {
                String id = parsed.ops().get(l.layer()).layerId();
                table.row(id, l.precision(), Table.f(l.top1Agreement(), 4), Table.e(l.outputMse()),
                        Table.e(l.outputKl()), Table.e(l.weightRelativeError()),
                        analysis.layerBytes(l.layer(), l.precision()));
                ObjectNode row = PlanFile.mapper().valueToTree(l);
                row.put("layerId", id);
                row.put("sizeBytes", analysis.layerBytes(l.layer(), l.precision()));
                rows.add(row);
            }
            table.print(out);
            out.printf("fixed bytes outside the layers: %d; float32 layer bytes: %d%n", analysis.fixedBytes(),
                    analysis.predictedModelBytes(java.util.Map.of()) - analysis.fixedBytes());
            root.put("fixedBytes", analysis.fixedBytes());
            root.set("layerBytes", layerBytes(analysis, parsed));
            if (analysis.latency() != null) {
                printLatency(out, analysis, parsed);
                root.put("latencyMethod", analysis.options().latencyMethod().key());
                root.set("latency", PlanFile.mapper().valueToTree(analysis.latency()));
            }
        }
        if (json != null) {
            PlanFile.write(json, root);
        }
        return ExitCodes.OK;
    }

    private static void printLatency(PrintWriter out, ModelAnalysis analysis, TfliteModel parsed) {
        out.println();
        out.printf("host latency table (%s, %d runs, %d thread(s), %d ms), µs per inference:%n",
                analysis.options().latencyMethod().key(), analysis.options().latencyRuns(),
                analysis.options().latencyThreads(), analysis.timings().latencyMillis());
        Table table = new Table("layer", "float32", "float16", "int8", "int4-weights");
        for (var op : parsed.ops()) {
            Object[] row = new Object[5];
            row[0] = op.layerId();
            int i = 1;
            for (Precision p : List.of(Precision.FLOAT32, Precision.FLOAT16, Precision.INT8,
                    Precision.INT4_WEIGHTS)) {
                row[i++] = Table.f(analysis.latency().micros(op.layerId(), p).orElse(Double.NaN), 1);
            }
            table.row(row);
        }
        table.print(out);
    }

    private static ArrayNode layerBytes(ModelAnalysis analysis, TfliteModel parsed) {
        ArrayNode array = PlanFile.mapper().createArrayNode();
        parsed.ops().forEach(op -> {
            ObjectNode row = array.addObject();
            row.put("layerId", op.layerId());
            for (LayerPrecision p : analysis.candidates(op)) {
                row.put(p.name(), analysis.layerBytes(op.index(), p));
            }
        });
        return array;
    }
}
