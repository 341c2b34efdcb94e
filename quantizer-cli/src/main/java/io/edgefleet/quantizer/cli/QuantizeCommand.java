package io.edgefleet.quantizer.cli;

import io.edgefleet.quantization.model.TfliteModel;
import io.edgefleet.quantization.quantize.LayerPrecision;
import io.edgefleet.quantization.quantize.QuantizationMode;
import io.edgefleet.quantization.quantize.QuantizationReport;
import io.edgefleet.quantization.quantize.QuantizedModel;
import io.edgefleet.quantization.quantize.Quantizer;
import io.edgefleet.quantization.samples.SampleSet;
import io.edgefleet.quantizer.mixed.PlanFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Builds a quantized model with one mode or a per-layer plan file. */
@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = "Quantize a float model with a whole-model --mode or a per-layer --plan (from `plan -o`). "
                + "The result is loaded and run by the TFLite runtime before it is written.")
final class QuantizeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "float32 .tflite model")
    Path model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Recipe recipe;

    static final class Recipe {
        @Option(names = "--mode", description = "${COMPLETION-CANDIDATES}")
        QuantizationMode mode;

        @Option(names = "--plan", description = "per-layer plan JSON")
        Path plan;
    }

    @Option(names = {"-c", "--calibration"}, description = "calibration set (.efs); required by calibrated modes "
            + "and plans")
    Path calibration;

    @Option(names = {"-o", "--output"}, required = true, description = "output .tflite")
    Path output;

    @Option(names = "--report", description = "write the quantization report JSON here")
    Path report;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        byte[] bytes = Inputs.readModel(model);
        SampleSet calib = calibration == null ? null : Inputs.readSamples(calibration, 0);
        QuantizationMode mode = recipe.mode == null ? QuantizationMode.FULL_INT8 : recipe.mode;
        var options = common.quantizerOptions();
        if (recipe.plan != null) {
            Map<Integer, LayerPrecision> plan = PlanFile.read(recipe.plan, TfliteModel.parse(bytes));
            options = options.withLayerPrecisions(plan);
        }
        Progress.stage(err, common.quiet, (mode.needsCalibration() ? "calibrating and " : "") + "building " + mode
                + (recipe.plan != null ? " with plan " + recipe.plan.getFileName() : ""));
        QuantizedModel q = Quantizer.quantize(bytes, mode, calib, options);
        Inputs.write(output, q.tflite());
        QuantizationReport r = q.report();
        out.printf("%s: %d B -> %d B (x%.2f), written to %s%n", recipe.plan != null ? "mixed plan" : mode,
                r.floatModelBytes(), r.quantizedModelBytes(), r.compressionRatio(), output);
        Table table = new Table("layer", "activations", "weights", "weight rel. error");
        for (QuantizationReport.LayerReport l : r.layers()) {
            table.row(l.index() + ":" + l.op(), l.activationType(), l.weightType(), Table.e(l.weightRelativeError()));
        }
        table.print(out);
        r.warnings().forEach(w -> out.println("warning: " + w));
        if (report != null) {
            PlanFile.write(report, PlanFile.mapper().valueToTree(r.toMap()));
        }
        return ExitCodes.OK;
    }
}
