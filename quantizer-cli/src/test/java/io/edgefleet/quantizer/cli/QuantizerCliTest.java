package io.edgefleet.quantizer.cli;

import static io.edgefleet.quantizer.cli.CliTestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgefleet.quantizer.cli.CliTestSupport.Run;
import io.edgefleet.quantization.model.TfliteModel;
import io.edgefleet.quantization.runtime.TfliteRunner;
import io.edgefleet.quantization.samples.SampleSet;
import io.edgefleet.quantization.samples.SampleSetCodec;
import io.edgefleet.quantization.testing.TestModels;
import io.edgefleet.quantizer.mixed.PlanFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuantizerCliTest {
    @TempDir
    static Path dir;

    static Path cnn;
    static Path cnnCalibration;
    static Path cnnEval;
    static Path mlp;
    static Path mlpCalibration;

    @BeforeAll
    static void writeInputs() throws IOException {
        CliTestSupport.SmallCnn small = CliTestSupport.SmallCnn.writeTo(dir);
        cnn = small.model();
        cnnCalibration = small.calibration();
        cnnEval = small.eval();
        mlp = Files.write(dir.resolve("mlp.tflite"), TestModels.mlp(3));
        mlpCalibration = dir.resolve("mlp-calib.efs");
        SampleSetCodec.write(TestModels.samples(48, 1, 256), SampleSetCodec.Encoding.FLOAT32, false, mlpCalibration);
    }

    @Test
    void shouldSummariseTheGraphWithPerLayerMacsAndParameters() {
        Run r = run("analyze", cnn);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("7 operators").contains("0:CONV_2D").contains("5:FULLY_CONNECTED")
                .contains("total MACs");
    }

    @Test
    void shouldPrintAndWriteTheSensitivityTableWithProgress() throws IOException {
        Path json = dir.resolve("analysis.json");
        Run r = run("analyze", cnn, "-c", cnnCalibration, "--sensitivity-samples", cnnEval, "--json", json);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("sensitivity").contains("INT4_WEIGHTS");
        assertThat(r.err()).contains("[sensitivity] 13/13");
        JsonNode root = PlanFile.mapper().readTree(json.toFile());
        assertThat(root.get("sensitivity")).hasSize(13);
        assertThat(root.get("layers")).hasSize(7);
    }

    @Test
    void shouldPlanUnderASizeBudgetAndBuildThePlanWithQuantize() throws IOException {
        Path plan = dir.resolve("plan.json");
        Path built = dir.resolve("mixed-from-plan.tflite");
        Run r = run("plan", mlp, "-c", mlpCalibration, "--size-budget", "110KB", "-o", plan, "--build",
                dir.resolve("mixed-direct.tflite"), "-q");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("predicted model size").contains("budget 110000 B").contains("int4-weights");
        JsonNode json = PlanFile.mapper().readTree(plan.toFile());
        assertThat(json.get("predictedModelBytes").asLong()).isLessThanOrEqualTo(110_000);
        assertThat(json.get("layers")).hasSize(4);

        Run q = run("quantize", mlp, "--plan", plan, "-c", mlpCalibration, "-o", built, "-q");
        assertThat(q.exit()).as(q.err()).isZero();
        byte[] bytes = Files.readAllBytes(built);
        assertThat(bytes).isEqualTo(Files.readAllBytes(dir.resolve("mixed-direct.tflite")));
        assertThat(TfliteModel.parse(bytes).opCounts()).containsKey("QUANTIZE");
        try (TfliteRunner runner = TfliteRunner.load(bytes, 1)) {
            assertThat(runner.infer(new float[256])).hasSize(10);
        }
    }

    @Test
    void shouldExplainAnInfeasibleBudgetWithExitCode5() {
        Run r = run("plan", cnn, "-c", cnnCalibration, "--size-budget", "1000", "-q");
        assertThat(r.exit()).isEqualTo(ExitCodes.PLAN_INFEASIBLE);
        assertThat(r.err()).contains("quantizer-cli.plan-infeasible").contains("model size budget 1000 B")
                .contains("smallest achievable model");
    }

    @Test
    void shouldQuantizeWithAModeAndEvaluateAgainstTheFloatModel() throws IOException {
        Path int8 = dir.resolve("int8.tflite");
        Run q = run("quantize", cnn, "--mode", "FULL_INT8", "-c", cnnCalibration, "-o", int8, "--report",
                dir.resolve("report.json"));
        assertThat(q.exit()).as(q.err()).isZero();
        assertThat(q.out()).contains("FULL_INT8").contains("INT8");
        Path json = dir.resolve("eval.json");
        Run e = run("evaluate", int8, "-e", cnnEval, "-r", cnn, "--threads", "1,2", "--warmup", "2", "--json", json);
        assertThat(e.exit()).as(e.err()).isZero();
        assertThat(e.out()).contains("agreement").contains("p95");
        JsonNode results = PlanFile.mapper().readTree(json.toFile()).get("results");
        assertThat(results).hasSize(2);
        assertThat(results.get(0).get("agreementWithReference").asDouble()).isBetween(0.5, 1.0);
        assertThat(results.get(1).get("threads").asInt()).isEqualTo(2);
    }

    @Test
    void shouldWriteAPerTensorDebugReport() throws IOException {
        Path int4 = dir.resolve("int4.tflite");
        assertThat(run("quantize", cnn, "--mode", "INT4_WEIGHTS", "-c", cnnCalibration, "-o", int4, "-q").exit())
                .isZero();
        Path json = dir.resolve("debug.json");
        Run d = run("debug", cnn, int4, "-s", cnnEval, "--json", json, "--snr-threshold", "200");
        assertThat(d.exit()).as(d.err()).isZero();
        assertThat(d.out()).contains("SNR dB").contains("flagged");
        JsonNode root = PlanFile.mapper().readTree(json.toFile());
        assertThat(root.get("tensors").size()).isGreaterThan(3);
        // with an absurd 200 dB threshold every lossy tensor is flagged
        assertThat(root.get("flagged").asInt()).isPositive();
    }

    @Test
    void shouldRejectCorruptModelsWithExitCode3() throws IOException {
        byte[] good = TestModels.smallCnn(7);
        Path corrupt = Files.write(dir.resolve("corrupt.tflite"), Arrays.copyOf(good, good.length / 3));
        Run r = run("quantize", corrupt, "--mode", "FLOAT16", "-o", dir.resolve("never.tflite"));
        assertThat(r.exit()).isEqualTo(ExitCodes.BAD_MODEL);
        assertThat(r.err()).contains("quantization.corrupt-model");
        assertThat(dir.resolve("never.tflite")).doesNotExist();
    }

    @Test
    void shouldRejectMismatchedAndNonFiniteSamplesWithExitCode4() throws IOException {
        Run r = run("quantize", cnn, "--mode", "FULL_INT8", "-c", mlpCalibration, "-o", dir.resolve("x.tflite"));
        assertThat(r.exit()).isEqualTo(ExitCodes.BAD_SAMPLES);
        assertThat(r.err()).contains("quantization.calibration-mismatch");

        SampleSet bad = TestModels.samples(4, 9, 8, 8, 1);
        bad.inputs()[2][5] = Float.NaN;
        Path nan = dir.resolve("nan.efs");
        SampleSetCodec.write(bad, SampleSetCodec.Encoding.FLOAT32, false, nan);
        Run n = run("quantize", cnn, "--mode", "FULL_INT8", "-c", nan, "-o", dir.resolve("y.tflite"));
        assertThat(n.exit()).isEqualTo(ExitCodes.BAD_SAMPLES);

        Path garbage = Files.write(dir.resolve("garbage.efs"), new byte[] {1, 2, 3, 4, 5});
        assertThat(run("evaluate", cnn, "-e", garbage).exit()).isEqualTo(ExitCodes.BAD_SAMPLES);
    }

    @Test
    void shouldReportMissingFilesPlansForOtherModelsAndUsageErrors() throws IOException {
        assertThat(run("evaluate", dir.resolve("missing.tflite"), "-e", cnnEval).exit())
                .isEqualTo(ExitCodes.IO_ERROR);
        Path foreign = dir.resolve("foreign-plan.json");
        Files.writeString(foreign, "{\"layers\":[{\"layerId\":\"0:CONV_2D\",\"precision\":\"int8\"}]}");
        Run p = run("quantize", mlp, "--plan", foreign, "-c", mlpCalibration, "-o", dir.resolve("z.tflite"));
        assertThat(p.exit()).isEqualTo(ExitCodes.IO_ERROR);
        assertThat(p.err()).contains("quantizer-cli.invalid-plan").contains("another model");
        assertThat(run("quantize", cnn, "-o", dir.resolve("w.tflite")).exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("plan", cnn, "-c", cnnCalibration).exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("plan", cnn, "-c", cnnCalibration, "--size-budget", "lots").exit())
                .isEqualTo(ExitCodes.USAGE);
    }
}
