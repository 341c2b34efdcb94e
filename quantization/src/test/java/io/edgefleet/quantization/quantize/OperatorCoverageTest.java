package io.edgefleet.quantization.quantize;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefleet.quantization.model.TfliteModel;
import io.edgefleet.quantization.samples.SampleSet;
import io.edgefleet.quantization.testing.TestModels;
import org.junit.jupiter.api.Test;

/** Every supported operator through every mode, in the real runtime. */
class OperatorCoverageTest {
    private static final byte[] ZOO = TestModels.zoo(13);
    private static final SampleSet CALIBRATION = TestModels.samples(64, 31, 8, 8, 2);
    private static final SampleSet EVAL = TestModels.samples(100, 32, 8, 8, 2);

    @Test
    void shouldAcceptTheZooAsAFloatModel() {
        TfliteModel m = TfliteModel.parse(ZOO);
        m.requireFloatModelSupported();
        assertThat(m.opCounts()).containsKeys("CONV_2D", "HARD_SWISH", "RELU", "ADD", "MUL", "TANH", "LOGISTIC",
                "CONCATENATION", "PAD", "MAX_POOL_2D", "MEAN", "FULLY_CONNECTED", "SOFTMAX");
    }

    @Test
    void shouldQuantizeEveryOperatorToInt8() {
        QuantizedModel q = Quantizer.quantize(ZOO, QuantizationMode.FULL_INT8, CALIBRATION);
        TfliteModel m = TfliteModel.parse(q.tflite());
        SpecChecks.assertInt8Spec(m);
        assertThat(q.report().layers()).allMatch(l -> l.activationType().equals("INT8"));
        // concatenation inputs and output share parameters (int8 kernel requirement)
        var concat = m.ops().stream().filter(o -> o.name().equals("CONCATENATION")).findFirst().orElseThrow();
        for (int t : concat.inputs()) {
            assertThat(m.tensor(t).scales()).containsExactly(m.tensor(concat.outputs()[0]).scales());
        }
        var tanh = m.ops().stream().filter(o -> o.name().equals("TANH")).findFirst().orElseThrow();
        assertThat(m.tensor(tanh.outputs()[0]).scales()).containsExactly(m.tensor(concat.outputs()[0]).scales());
        QuantizerTest.Agreement a = QuantizerTest.Agreement.compare(ZOO, q.tflite(), EVAL);
        assertThat(a.top1()).isGreaterThanOrEqualTo(0.85);
        assertThat(a.maxAbsDiff()).isLessThan(0.15);
    }

    @Test
    void shouldQuantizeTheZooInEveryOtherMode() {
        for (QuantizationMode mode : QuantizationMode.values()) {
            QuantizedModel q = Quantizer.quantize(ZOO, mode, CALIBRATION);
            QuantizerTest.Agreement a = QuantizerTest.Agreement.compare(ZOO, q.tflite(), EVAL);
            assertThat(a.top1()).as("top-1 agreement of %s", mode).isGreaterThanOrEqualTo(0.8);
        }
    }
}
