package io.edgefleet.quantization.sensitivity;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefleet.quantization.quantize.QuantizationMode;
import io.edgefleet.quantization.quantize.Quantizer;
import io.edgefleet.quantization.samples.SampleSet;
import io.edgefleet.quantization.testing.TestModels;
import java.util.List;
import org.junit.jupiter.api.Test;

class TensorDebuggerTest {

    @Test
    void shouldReportPerTensorErrorsConsistentWithTheScales() {
        byte[] model = TestModels.smallCnn(7);
        SampleSet samples = TestModels.samples(20, 5, 8, 8, 1);
        byte[] int8 = Quantizer.quantize(model, QuantizationMode.FULL_INT8, TestModels.samples(32, 6, 8, 8, 1))
                .tflite();
        List<TensorDiff> diffs = TensorDebugger.compare(model, int8, samples, 1);
        assertThat(diffs).extracting(TensorDiff::name).contains("conv/out", "relu6/out", "dw/out", "pool/out",
                "flatten", "logits", "probs");
        TensorDiff conv = diffs.stream().filter(d -> d.name().equals("conv/out")).findFirst().orElseThrow();
        assertThat(conv.quantizedType()).isEqualTo("INT8");
        // the first layer only sees input rounding + its own: error within a few quantization steps
        assertThat(conv.maxAbsDiff()).isLessThan(4 * conv.scale());
        assertThat(conv.snrDb()).isGreaterThan(25);
        byte[] fp16 = Quantizer.quantize(model, QuantizationMode.FLOAT16, null).tflite();
        for (TensorDiff d : TensorDebugger.compare(model, fp16, samples, 1)) {
            assertThat(d.snrDb()).as(d.name()).isGreaterThan(50);
        }
    }
}
