package io.edgefleet.quantizer.mixed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefleet.planner.Precision;
import io.edgefleet.planner.latency.LatencyTable;
import io.edgefleet.quantization.model.OpInfo;
import io.edgefleet.quantization.model.TfliteModel;
import io.edgefleet.quantization.quantize.CalibratedModel;
import io.edgefleet.quantization.quantize.LayerPrecision;
import io.edgefleet.quantization.quantize.Quantizer;
import io.edgefleet.quantization.quantize.QuantizerOptions;
import io.edgefleet.quantization.runtime.TfliteRunner;
import io.edgefleet.quantization.samples.SampleSet;
import io.edgefleet.quantization.sensitivity.ProgressListener;
import io.edgefleet.quantization.testing.TestModels;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PerLayerLatencyProfilerTest {
    private static final Set<LayerPrecision> ALL = EnumSet.allOf(LayerPrecision.class);
    private static final PerLayerLatencyProfiler.Settings QUICK = new PerLayerLatencyProfiler.Settings(2, 5, 1);

    private static TfliteModel cnn;
    private static CalibratedModel calibrated;

    @BeforeAll
    static void calibrate() {
        byte[] bytes = TestModels.smallCnn(7);
        cnn = TfliteModel.parse(bytes);
        calibrated = Quantizer.calibrate(bytes, TestModels.samples(32, 1, 8, 8, 1), QuantizerOptions.defaults());
    }

    @Test
    void shouldReproduceTheFullModelsLayerOutputForConvDepthwiseAndFullyConnected() {
        for (String name : List.of("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED")) {
            OpInfo op = cnn.ops().stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow();
            SingleOperatorModels.LayerModel layer = SingleOperatorModels.extract(cnn, op.index(),
                    calibrated.samples(), 1);
            TfliteModel single = TfliteModel.parse(layer.floatModel());
            assertThat(single.ops()).as(name).hasSize(1);
            assertThat(single.ops().get(0).name()).isEqualTo(name);
            assertThat(single.input().shape()).isEqualTo(cnn.tensor(op.inputs()[0]).shape());
            assertThat(single.output().shape()).isEqualTo(cnn.tensor(op.outputs()[0]).shape());
            assertThat(single.ops().get(0).parameterBytes()).isEqualTo(op.parameterBytes());

            int out = op.outputs()[0];
            float[][] expected = SingleOperatorModels.tensorValues(cnn, out, calibrated.samples(), 1);
            float[][] actual;
            try (TfliteRunner runner = TfliteRunner.load(layer.floatModel(), 1)) {
                actual = runner.inferAll(layer.inputs());
            }
            assertThat(maxAbsDiff(expected, actual)).as(name + " float").isLessThan(1e-4);

            // the single-operator model is calibrated on the layer's recorded inputs: same ranges as the full model
            CalibratedModel singleCalibrated = Quantizer.calibrate(layer.floatModel(), layer.inputs(),
                    QuantizerOptions.defaults());
            assertThat(singleCalibrated.observedRange(single.inputs()[0]))
                    .isEqualTo(calibrated.observedRange(layer.inputTensor()));
            float[] range = calibrated.observedRange(out);
            assertThat(singleCalibrated.observedRange(single.outputs()[0])[0]).isCloseTo(range[0],
                    org.assertj.core.data.Offset.offset(1e-4f));
            assertThat(singleCalibrated.observedRange(single.outputs()[0])[1]).isCloseTo(range[1],
                    org.assertj.core.data.Offset.offset(1e-4f));

            Map<LayerPrecision, byte[]> built = PerLayerLatencyProfiler.build(layer, List.of(LayerPrecision.FLOAT32,
                    LayerPrecision.FLOAT16, LayerPrecision.INT8, LayerPrecision.INT4_WEIGHTS),
                    QuantizerOptions.defaults());
            TfliteModel int8 = TfliteModel.parse(built.get(LayerPrecision.INT8));
            assertThat(int8.ops()).extracting(OpInfo::name).containsExactly("QUANTIZE", name, "DEQUANTIZE");
            assertThat(int8.tensor(int8.ops().get(1).inputs()[0]).type()).isEqualTo("INT8");
            assertThat(int8.tensor(int8.ops().get(1).outputs()[0]).type()).isEqualTo("INT8");
            assertThat(int8.tensor(int8.ops().get(1).inputs()[1]).type()).isEqualTo("INT8");
            TfliteModel int4 = TfliteModel.parse(built.get(LayerPrecision.INT4_WEIGHTS));
            assertThat(int4.tensor(int4.ops().get(1).inputs()[1]).type()).isEqualTo("INT4");
            double step = (range[1] - range[0]) / 255.0;
            assertThat(maxAbsDiff(expected, run(built.get(LayerPrecision.INT8), layer.inputs())))
                    .as(name + " int8 within a few quantization steps").isLessThan(4 * step);
            assertThat(maxAbsDiff(expected, run(built.get(LayerPrecision.FLOAT16), layer.inputs())))
                    .as(name + " float16").isLessThan(0.01 * (range[1] - range[0]));
            assertThat(maxAbsDiff(expected, run(built.get(LayerPrecision.INT4_WEIGHTS), layer.inputs())))
                    .as(name + " int4 weights").isLessThan(0.25 * (range[1] - range[0]))
                    .isGreaterThan(maxAbsDiff(expected, run(built.get(LayerPrecision.INT8), layer.inputs())));
        }
    }

    @Test
    void shouldTimeEveryLayerAtEveryCandidatePrecisionIntoASeededTable() {
        PerLayerLatencyProfiler.Result result = PerLayerLatencyProfiler.measure(calibrated,
                QuantizerOptions.defaults(), ALL, QUICK, "host", ProgressListener.NONE);
        LatencyTable table = result.table();
        // 3 weighted operators x {f32, f16, i8, i4} + 4 others x {f32, i8}
        assertThat(table.size()).isEqualTo(3 * 4 + 4 * 2);
        assertThat(result.timings()).hasSize(20);
        for (OpInfo op : cnn.ops()) {
            Set<Precision> expected = EnumSet.of(Precision.FLOAT32, Precision.INT8);
            if (op.parameterBytes() > 0 && !op.name().equals("RESHAPE")) {
                expected.addAll(List.of(Precision.FLOAT16, Precision.INT4_WEIGHTS));
            }
            assertThat(table.entries().get(op.layerId()).keySet()).as(op.layerId()).isEqualTo(expected);
            table.entries().get(op.layerId()).values().forEach(e -> {
                assertThat(e.source()).isEqualTo(LatencyTable.Source.SEEDED);
                assertThat(e.micros()).isGreaterThanOrEqualTo(0);
            });
        }
        for (PerLayerLatencyProfiler.LayerTiming t : result.timings()) {
            assertThat(t.ioMicros()).isPositive();
            assertThat(t.micros()).isEqualTo(Math.max(0, t.medianMicros() - t.ioMicros()));
            assertThat(table.micros(cnn.ops().get(t.layer()).layerId(), PrecisionMapping.toPlanner(t.precision())))
                    .hasValue(t.micros());
        }
    }

    @Test
    void shouldIsolateOperatorsWithTwoActivationInputsByFreezingTheSecond() {
        byte[] zoo = TestModels.zoo(5);
        CalibratedModel z = Quantizer.calibrate(zoo, TestModels.samples(16, 3, 8, 8, 2), QuantizerOptions.defaults());
        OpInfo add = z.model().ops().stream().filter(o -> o.name().equals("ADD")).findFirst().orElseThrow();
        SingleOperatorModels.LayerModel layer = SingleOperatorModels.extract(z.model(), add.index(), z.samples(), 1);
        TfliteModel single = TfliteModel.parse(layer.floatModel());
        assertThat(single.ops()).hasSize(1);
        assertThat(single.inputs()).hasSize(1);
        // on the first sample the frozen operand holds the real activation: the output is reproduced exactly
        float[] expected = SingleOperatorModels.tensorValues(z.model(), add.outputs()[0], z.samples(), 1)[0];
        float[] actual = run(layer.floatModel(), layer.inputs())[0];
        assertThat(maxAbsDiff(new float[][] {expected}, new float[][] {actual})).isLessThan(1e-5);

        PerLayerLatencyProfiler.Result result = PerLayerLatencyProfiler.measure(z, QuantizerOptions.defaults(), ALL,
                QUICK, "host", ProgressListener.NONE);
        for (OpInfo op : z.model().ops()) {
            assertThat(result.table().entries()).containsKey(op.layerId());
            assertThat(result.table().entries().get(op.layerId())).containsKeys(Precision.FLOAT32, Precision.INT8);
        }
    }

    @Test
    void shouldBuildThePerLayerTableThroughTheAnalysisOptions() {
        byte[] mlp = TestModels.mlp(3);
        ModelAnalysis analysis = MixedPrecisionPipeline.analyze(mlp, TestModels.samples(24, 1, 256), null,
                AnalysisOptions.defaults().withMeasureSensitivity(false).withLatency(5, 1)
                        .withLatencyMethod(LatencyMethod.PER_LAYER), ProgressListener.NONE);
        assertThat(analysis.options().latencyMethod()).isEqualTo(LatencyMethod.PER_LAYER);
        assertThat(analysis.latency().size()).isEqualTo(3 * 4 + 2);
        Map<Integer, LayerPrecision> int8 = ParetoSweep.uniform(analysis, LayerPrecision.INT8);
        double sum = 0;
        for (OpInfo op : analysis.model().ops()) {
            sum += analysis.latency().micros(op.layerId(), Precision.INT8).orElseThrow();
        }
        assertThat(analysis.predictedLatencyMicros(int8)).isEqualTo(sum);
        assertThat(AnalysisOptions.defaults().latencyMethod()).isEqualTo(LatencyMethod.APPORTIONED);
        assertThat(LatencyMethod.fromKey("per-layer")).isEqualTo(LatencyMethod.PER_LAYER);
        assertThatThrownBy(() -> LatencyMethod.fromKey("guess")).isInstanceOf(QuantizerCliException.class)
                .hasMessageContaining("apportioned, per-layer");
        assertThatThrownBy(() -> new PerLayerLatencyProfiler.Settings(0, 0, 1))
                .isInstanceOf(QuantizerCliException.class);
    }

    private static float[][] run(byte[] model, SampleSet inputs) {
        try (TfliteRunner runner = TfliteRunner.load(model, 1)) {
            return runner.inferAll(inputs);
        }
    }

    private static double maxAbsDiff(float[][] a, float[][] b) {
        assertThat(b.length).isEqualTo(a.length);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            assertThat(b[i]).hasSameSizeAs(a[i]);
            for (int j = 0; j < a[i].length; j++) {
                max = Math.max(max, Math.abs(a[i][j] - b[i][j]));
            }
        }
        return max;
    }
}
