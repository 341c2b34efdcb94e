package io.edgefleet.quantization.sensitivity;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefleet.quantization.quantize.LayerPrecision;
import io.edgefleet.quantization.quantize.QuantizerOptions;
import io.edgefleet.quantization.testing.TestModels;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class SensitivityAnalyzerTest {

    @Test
    void shouldMeasureEveryLayerAtEveryPrecision() {
        byte[] model = TestModels.smallCnn(7);
        List<LayerSensitivity> s = SensitivityAnalyzer.analyze(model, TestModels.samples(32, 1, 8, 8, 1),
                TestModels.samples(40, 2, 8, 8, 1), EnumSet.allOf(LayerPrecision.class), QuantizerOptions.defaults());
        // 7 ops at INT8 + 3 weighted ops at FLOAT16 and INT4_WEIGHTS
        assertThat(s).hasSize(7 + 3 * 2);
        for (LayerSensitivity l : s) {
            assertThat(l.top1Agreement()).isBetween(0.0, 1.0);
            assertThat(l.outputMse()).isGreaterThanOrEqualTo(0.0);
            assertThat(l.outputKl()).isGreaterThanOrEqualTo(0.0);
        }
        // per weighted layer: int4 hurts at least as much as int8, float16 is (nearly) lossless
        for (int layer : new int[] {0, 2, 5}) {
            LayerSensitivity int8 = find(s, layer, LayerPrecision.INT8);
            LayerSensitivity int4 = find(s, layer, LayerPrecision.INT4_WEIGHTS);
            LayerSensitivity fp16 = find(s, layer, LayerPrecision.FLOAT16);
            assertThat(int4.weightRelativeError()).isGreaterThan(int8.weightRelativeError());
            assertThat(fp16.weightRelativeError()).isLessThan(int8.weightRelativeError());
            assertThat(fp16.outputMse()).isLessThan(1e-6);
            assertThat(fp16.top1Agreement()).isEqualTo(1.0);
            assertThat(int8.outputMse()).isPositive();
        }
    }

    @Test
    void shouldComputeTheDataFreeProxy() {
        List<WeightProxy> p = SensitivityAnalyzer.weightProxy(TestModels.mlp(3));
        assertThat(p).hasSize(9);
        for (int layer = 0; layer < 3; layer++) {
            final int l = layer;
            double e8 = p.stream().filter(x -> x.layer() == l && x.precision() == LayerPrecision.INT8).findFirst()
                    .orElseThrow().relativeError();
            double e4 = p.stream().filter(x -> x.layer() == l && x.precision() == LayerPrecision.INT4_WEIGHTS)
                    .findFirst().orElseThrow().relativeError();
            // uniform quantization: error scales with step^2, (127/7)^2 ~ 329
            assertThat(e4 / e8).isBetween(100.0, 1000.0);
        }
    }

    private static LayerSensitivity find(List<LayerSensitivity> s, int layer, LayerPrecision p) {
        return s.stream().filter(x -> x.layer() == layer && x.precision() == p).findFirst().orElseThrow();
    }
}
