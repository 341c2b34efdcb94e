package io.edgefleet.quantizer.cli;

import static io.edgefleet.quantizer.cli.CliTestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgefleet.quantizer.cli.CliTestSupport.Run;
import io.edgefleet.quantizer.mixed.PlanFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParetoCommandTest {
    @TempDir
    static Path dir;

    static Path cnn;
    static Path calibration;
    static Path eval;

    @BeforeAll
    static void writeInputs() throws IOException {
        CliTestSupport.SmallCnn inputs = CliTestSupport.SmallCnn.writeTo(dir);
        cnn = inputs.model();
        calibration = inputs.calibration();
        eval = inputs.eval();
    }

    @Test
    void shouldPrintTheSizeFrontierWithTheUniformBaselinesAndWriteJsonAndCsv() throws IOException {
        Path json = dir.resolve("frontier.json");
        Path csv = dir.resolve("frontier.csv");
        Run r = run("pareto", cnn, "-c", calibration, "--steps", "6", "--json", json, "--csv", csv, "-q");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Pareto frontier of cnn.tflite").contains("f=0.00").contains("f=1.00")
                .contains("uniform int8").contains("uniform int4-weights").contains("uniform float16");
        JsonNode root = PlanFile.mapper().readTree(json.toFile());
        assertThat(root.get("axis").asText()).isEqualTo("size");
        JsonNode points = root.get("points");
        assertThat(points.size()).isBetween(2, 6);
        for (int i = 1; i < points.size(); i++) {
            assertThat(points.get(i).get("predictedModelBytes").asLong())
                    .isGreaterThan(points.get(i - 1).get("predictedModelBytes").asLong());
            assertThat(points.get(i).get("predictedLoss").asDouble())
                    .isLessThan(points.get(i - 1).get("predictedLoss").asDouble());
        }
        for (JsonNode p : points) {
            assertThat(p.get("predictedModelBytes").asDouble()).isLessThanOrEqualTo(p.get("budget").asDouble());
            assertThat(p.get("layers")).hasSize(7);
        }
        // the dearest budget admits the all-float plan: zero predicted loss
        assertThat(points.get(points.size() - 1).get("predictedLoss").asDouble()).isZero();
        assertThat(root.get("baselines")).hasSize(3);
        assertThat(root.get("baselines").get(0).get("histogram").asText()).isEqualTo("i8:7");
        assertThat(root.get("baselines").get(2).get("histogram").asText()).isEqualTo("f32:4 f16:3");
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines).hasSize(1 + points.size() + 3);
        assertThat(lines.get(0)).startsWith("kind,label,fraction,budget,predicted_loss");
        assertThat(lines.get(lines.size() - 3)).startsWith("uniform,int8,");
    }

    @Test
    void shouldMeasureEveryFrontierPlanOnTheEvalSet() throws IOException {
        Path json = dir.resolve("measured.json");
        Run r = run("pareto", cnn, "-c", calibration, "--steps", "4", "--measure", "-e", eval, "--json", json);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("top-1").contains("agreement").contains("float32 model");
        assertThat(r.err()).contains("[measure] ");
        JsonNode root = PlanFile.mapper().readTree(json.toFile());
        long floatBytes = root.get("floatModelBytes").asLong();
        for (JsonNode p : root.get("points")) {
            JsonNode m = p.get("measured");
            assertThat(m.get("sizeBytes").asLong()).isPositive();
            assertThat(m.get("agreement").asDouble()).isBetween(0.0, 1.0);
            assertThat(m.get("top1").asDouble()).isBetween(0.0, 1.0);
        }
        JsonNode int4 = root.get("baselines").get(1);
        assertThat(int4.get("label").asText()).isEqualTo("int4-weights");
        long int4Bytes = int4.get("measured").get("sizeBytes").asLong();
        assertThat(int4Bytes).isLessThan(floatBytes)
                .isLessThan(root.get("baselines").get(0).get("measured").get("sizeBytes").asLong());
        assertThat(root.get("floatMeasured").get("agreement").asDouble()).isEqualTo(1.0);
    }

    @Test
    void shouldSweepTheLatencyAxisWithAPerLayerTable() throws IOException {
        Path json = dir.resolve("latency.json");
        Run r = run("pareto", cnn, "-c", calibration, "--axis", "latency", "--steps", "4", "--latency-runs", "5",
                "--precisions", "float32,int8", "--json", json, "-q");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("vs predicted latency").contains("latency table: per-layer");
        JsonNode root = PlanFile.mapper().readTree(json.toFile());
        assertThat(root.get("latencyMethod").asText()).isEqualTo("per-layer");
        assertThat(root.get("baselines")).hasSize(1);
        for (JsonNode p : root.get("points")) {
            assertThat(p.get("predictedLatencyMicros").isNumber()).isTrue();
            assertThat(p.get("predictedLatencyMicros").asDouble()).isLessThanOrEqualTo(p.get("budget").asDouble()
                    + 1e-6);
            assertThat(p.get("histogram").asText()).doesNotContain("f16").doesNotContain("i4");
        }
    }

    @Test
    void shouldRejectBadArgumentsWithTheUsageExitCode() {
        assertThat(run("pareto", cnn, "-c", calibration, "--steps", "1").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("pareto", cnn, "-c", calibration, "--axis", "speed").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("pareto", cnn, "-c", calibration, "--measure").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("pareto", cnn, "-c", calibration, "--metric", "vibes").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("pareto", cnn, "-c", calibration, "--axis", "latency", "--latency", "none").exit())
                .isEqualTo(ExitCodes.USAGE);
        assertThat(run("pareto", cnn, "-c", calibration, "--latency", "guess").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("pareto", cnn, "-c", calibration, "--steps", "many").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("pareto", cnn).exit()).isEqualTo(ExitCodes.USAGE);
        Run r = run("pareto", cnn, "-c", calibration, "--precisions", "int16x8");
        assertThat(r.exit()).isEqualTo(ExitCodes.UNSUPPORTED);
        assertThat(run("pareto", dir.resolve("missing.tflite"), "-c", calibration).exit())
                .isEqualTo(ExitCodes.IO_ERROR);
    }

    @Test
    void shouldPrintThePerLayerLatencyTableInAnalyzeAndPlanAgainstIt() throws IOException {
        Path json = dir.resolve("analysis-latency.json");
        Run a = run("analyze", cnn, "-c", calibration, "--latency", "per-layer", "--latency-runs", "5", "-q",
                "--json", json);
        assertThat(a.exit()).as(a.err()).isZero();
        assertThat(a.out()).contains("host latency table (per-layer, 5 runs").contains("int4-weights");
        JsonNode root = PlanFile.mapper().readTree(json.toFile());
        assertThat(root.get("latencyMethod").asText()).isEqualTo("per-layer");
        JsonNode conv = root.get("latency").get("entries").get("0:CONV_2D");
        assertThat(conv.size()).isEqualTo(4);
        assertThat(conv.get("INT8").get("source").asText()).isEqualTo("SEEDED");
        assertThat(run("analyze", cnn, "--latency", "per-layer").exit()).isEqualTo(ExitCodes.USAGE);
        Run p = run("plan", cnn, "-c", calibration, "--latency-budget", "100ms", "--latency", "per-layer",
                "--latency-runs", "5", "-q");
        assertThat(p.exit()).as(p.err()).isZero();
        assertThat(p.out()).contains("predicted latency");
    }
}
