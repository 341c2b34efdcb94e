package io.edgefleet.quantizer.mixed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefleet.planner.Planner;
import io.edgefleet.planner.Precision;
import io.edgefleet.planner.latency.LatencyTable;
import io.edgefleet.quantization.eval.EvalResult;
import io.edgefleet.quantization.eval.Evaluator;
import io.edgefleet.quantization.model.OpInfo;
import io.edgefleet.quantization.model.TfliteModel;
import io.edgefleet.quantization.quantize.LayerPrecision;
import io.edgefleet.quantization.quantize.QuantizedModel;
import io.edgefleet.quantization.samples.SampleSet;
import io.edgefleet.quantization.testing.TestModels;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MixedPrecisionPipelineTest {
    private static byte[] model;
    private static SampleSet calibration;
    private static SampleSet eval;
    private static ModelAnalysis analysis;
    private static MixedPrecisionPipeline pipeline;

    @BeforeAll
    static void analyse() {
        model = TestModels.mlp(3);
        calibration = TestModels.samples(48, 1, 256);
        eval = TestModels.samples(64, 2, 256);
        List<String> progress = new ArrayList<>();
        analysis = MixedPrecisionPipeline.analyze(model, calibration, null, AnalysisOptions.defaults()
                .withLatency(20, 1), (done, total, message) -> progress.add(done + "/" + total + " " + message));
        pipeline = new MixedPrecisionPipeline(new Planner());
        // 3 FULLY_CONNECTED x {FLOAT16, INT8, INT4} + SOFTMAX x {INT8}
        assertThat(progress).hasSize(10).last().asString().startsWith("10/10 ");
    }

    @Test
    void shouldProfileEveryLayerWithSizesOrderedByPrecision() {
        var profiles = analysis.profiles(SensitivityMetric.OUTPUT_KL);
        assertThat(profiles).hasSize(4);
        for (var p : profiles.subList(0, 3)) {
            assertThat(p.opType()).isEqualTo("FULLY_CONNECTED");
            assertThat(p.sizeBytes().keySet()).containsExactlyInAnyOrder(Precision.FLOAT32, Precision.FLOAT16,
                    Precision.INT8, Precision.INT4_WEIGHTS);
            assertThat(p.sizeBytes().get(Precision.INT4_WEIGHTS)).isLessThan(p.sizeBytes().get(Precision.INT8));
            assertThat(p.sizeBytes().get(Precision.INT8)).isLessThan(p.sizeBytes().get(Precision.FLOAT16));
            assertThat(p.sizeBytes().get(Precision.FLOAT16)).isLessThan(p.sizeBytes().get(Precision.FLOAT32));
            assertThat(p.sensitivity().get(Precision.FLOAT32)).isZero();
            assertThat(p.sensitivity().get(Precision.INT4_WEIGHTS)).isGreaterThan(p.sensitivity().get(Precision.INT8));
            assertThat(p.latencyMicros()).containsKeys(Precision.FLOAT32, Precision.INT8);
        }
        assertThat(profiles.get(3).sizeBytes().keySet()).containsExactlyInAnyOrder(Precision.FLOAT32, Precision.INT8);
    }

    @Test
    void shouldBuildAMixedPlanWithinASizeBudgetBetweenInt4AndInt8() {
        long int8 = analysis.predictedModelBytes(uniform(LayerPrecision.INT8));
        long int4 = analysis.predictedModelBytes(uniform(LayerPrecision.INT4_WEIGHTS));
        long budget = (int8 + int4) / 2;

        MixedPlan plan = pipeline.plan(analysis, PlanRequest.sizeBudget(budget));

        assertThat(plan.predictedModelBytes()).isLessThanOrEqualTo(budget);
        assertThat(plan.layerPrecisions()).hasSize(4);
        assertThat(plan.layerPrecisions().values()).contains(LayerPrecision.INT4_WEIGHTS);
        assertThat(plan.predictedLoss())
                .isLessThan(analysis.predictedLoss(uniform(LayerPrecision.INT4_WEIGHTS), SensitivityMetric.OUTPUT_KL));
        QuantizedModel built = MixedPrecisionPipeline.build(analysis, plan.layerPrecisions());
        // the size model is accurate to a few percent of the real flatbuffer
        assertThat((double) built.sizeBytes()).isCloseTo(plan.predictedModelBytes(),
                org.assertj.core.data.Percentage.withPercentage(3));
        EvalResult result = Evaluator.evaluate(built.tflite(), eval, Evaluator.referenceOutputs(model, eval, 1), 1, 0);
        assertThat(result.allFinite()).isTrue();
        assertThat(result.agreementWithReference()).isGreaterThan(0.5);
    }

    @Test
    void shouldGuaranteeTheRealModelSizeMeetsTheBudget() {
        long int8 = analysis.predictedModelBytes(uniform(LayerPrecision.INT8));
        long int4 = analysis.predictedModelBytes(uniform(LayerPrecision.INT4_WEIGHTS));
        for (long budget : new long[] {int4 + 5_000, (int4 + int8) / 2, int8}) {
            MixedBuild result = pipeline.planAndBuild(analysis, PlanRequest.sizeBudget(budget), 4);
            assertThat((long) result.model().sizeBytes()).isLessThanOrEqualTo(budget);
            assertThat(result.rounds()).isBetween(1, 4);
            assertThat(result.plan().request().maxModelBytes()).isEqualTo(budget);
        }
        assertThatThrownBy(() -> pipeline.planAndBuild(analysis, PlanRequest.sizeBudget(int4 - 1), 4))
                .isInstanceOf(PlanInfeasibleException.class);
    }

    @Test
    void shouldKeepEverythingFloatWithoutABudget() {
        MixedPlan plan = pipeline.plan(analysis, new PlanRequest(null, null, SensitivityMetric.OUTPUT_KL, Set.of(),
                io.edgefleet.planner.Objective.MIN_PREDICTED_LOSS));
        // float16 and float32 are both ~lossless; the loss-optimal plan never picks an integer precision
        assertThat(plan.layerPrecisions().values()).allMatch(LayerPrecision::isFloat);
        assertThat(plan.predictedLoss()).isLessThan(
                analysis.predictedLoss(uniform(LayerPrecision.INT8), SensitivityMetric.OUTPUT_KL));
    }

    @Test
    void shouldInsertQuantizeAndDequantizeAtPrecisionBoundaries() {
        Map<Integer, LayerPrecision> plan = Map.of(0, LayerPrecision.INT8, 1, LayerPrecision.FLOAT32, 2,
                LayerPrecision.INT4_WEIGHTS, 3, LayerPrecision.INT8);
        QuantizedModel built = MixedPrecisionPipeline.build(analysis, plan);
        TfliteModel parsed = TfliteModel.parse(built.tflite());
        Map<String, Integer> ops = parsed.opCounts();
        assertThat(ops).containsKeys("QUANTIZE", "DEQUANTIZE");
        // model input quantized, int8 -> float before layer 1, float -> int8 after it, int8 -> float at the output
        assertThat(ops.get("QUANTIZE")).isGreaterThanOrEqualTo(2);
        assertThat(ops.get("DEQUANTIZE")).isGreaterThanOrEqualTo(2);
        assertThat(built.report().layers().get(1).activationType()).isEqualTo("FLOAT32");
        assertThat(built.report().layers().get(2).weightType()).isEqualTo("INT4");
    }

    @Test
    void shouldExplainAnInfeasibleSizeBudgetWithTheSmallestAchievableModel() {
        long smallest = analysis.predictedModelBytes(uniform(LayerPrecision.INT4_WEIGHTS));
        assertThatThrownBy(() -> pipeline.plan(analysis, PlanRequest.sizeBudget(smallest - 1)))
                .isInstanceOfSatisfying(PlanInfeasibleException.class, ex -> {
                    assertThat(ex.code()).isEqualTo(CliErrorCode.PLAN_INFEASIBLE);
                    assertThat(ex.smallestModelBytes()).isEqualTo(smallest);
                    assertThat(ex.getMessage()).contains("model size budget " + (smallest - 1) + " B")
                            .contains(smallest + " B");
                });
        assertThat(pipeline.plan(analysis, PlanRequest.sizeBudget(smallest)).predictedModelBytes())
                .isEqualTo(smallest);
    }

    @Test
    void shouldRespectALatencyBudgetFromTheSeededTable() {
        LatencyTable table = analysis.latency();
        assertThat(table.size()).isEqualTo(3 * 4 + 2);
        double floatTotal = 0;
        for (OpInfo op : analysis.model().ops()) {
            floatTotal += table.micros(op.layerId(), Precision.FLOAT32).orElseThrow();
        }
        assertThat(floatTotal).isPositive();
        double fastest = analysis.model().ops().stream().mapToDouble(op -> table.entries().get(op.layerId())
                .values().stream().mapToDouble(LatencyTable.Entry::micros).min().orElseThrow()).sum();
        assertThatThrownBy(() -> pipeline.plan(analysis, PlanRequest.sizeBudget(10_000_000)
                .withLatencyBudget(fastest * 0.5))).isInstanceOf(PlanInfeasibleException.class)
                .hasMessageContaining("latency budget");
        MixedPlan plan = pipeline.plan(analysis, PlanRequest.sizeBudget(10_000_000).withLatencyBudget(fastest * 1.01));
        assertThat(plan.predictedLatencyMicros()).isLessThanOrEqualTo(fastest * 1.01);
    }

    @Test
    void shouldPlanOnTheDataFreeProxyWithoutForwardPasses() {
        ModelAnalysis proxyOnly = MixedPrecisionPipeline.analyze(model, calibration, null, AnalysisOptions.defaults()
                .withMeasureSensitivity(false), io.edgefleet.quantization.sensitivity.ProgressListener.NONE);
        assertThat(proxyOnly.sensitivities()).isEmpty();
        assertThatThrownBy(() -> proxyOnly.profiles(SensitivityMetric.OUTPUT_KL))
                .isInstanceOf(QuantizerCliException.class);
        long int8 = proxyOnly.predictedModelBytes(uniform(LayerPrecision.INT8));
        MixedPlan plan = pipeline.plan(proxyOnly, PlanRequest.sizeBudget(int8)
                .withMetric(SensitivityMetric.WEIGHT_PROXY).withAllowedPrecisions(EnumSet.of(Precision.INT8,
                        Precision.INT4_WEIGHTS, Precision.FLOAT32)));
        assertThat(plan.predictedModelBytes()).isLessThanOrEqualTo(int8);
    }

    private static Map<Integer, LayerPrecision> uniform(LayerPrecision p) {
        Map<Integer, LayerPrecision> plan = new HashMap<>();
        for (OpInfo op : analysis.model().ops()) {
            boolean weighted = op.name().equals("FULLY_CONNECTED");
            plan.put(op.index(), weighted || !(p == LayerPrecision.FLOAT16 || p == LayerPrecision.INT4_WEIGHTS) ? p
                    : p == LayerPrecision.FLOAT16 ? LayerPrecision.FLOAT32 : LayerPrecision.INT8);
        }
        return plan;
    }
}
