package io.edgefleet.quantization.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefleet.quantization.quantize.QuantizationMode;
import io.edgefleet.quantization.quantize.Quantizer;
import io.edgefleet.quantization.runtime.TfliteRunner;
import io.edgefleet.quantization.samples.SampleSet;
import io.edgefleet.quantization.testing.TestModels;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

    @Test
    void shouldMeasureAccuracyAgainstLabelsComputedIndependently() {
        byte[] model = TestModels.smallCnn(5);
        SampleSet unlabelled = TestModels.samples(40, 3, 8, 8, 1);
        int[] labels = new int[40];
        try (TfliteRunner runner = TfliteRunner.load(model, 1)) {
            for (int i = 0; i < 40; i++) {
                int predicted = Evaluator.argmax(runner.infer(unlabelled.inputs()[i]));
                labels[i] = i < 30 ? predicted : (predicted + 1) % 10; // 30 right, 10 wrong
            }
        }
        SampleSet eval = new SampleSet(unlabelled.sampleShape(), unlabelled.inputs(), labels);
        EvalResult r = Evaluator.evaluate(model, eval, null, 1, 3);
        assertThat(r.samples()).isEqualTo(40);
        assertThat(r.top1Accuracy()).isEqualTo(0.75);
        assertThat(r.agreementWithReference()).isNaN();
        assertThat(r.allFinite()).isTrue();
        assertThat(r.latency().count()).isEqualTo(40);
        assertThat(r.latency().p50Micros()).isPositive();
        assertThat(r.latency().p99Micros()).isGreaterThanOrEqualTo(r.latency().p50Micros());
    }

    @Test
    void shouldCompareAQuantizedModelWithItsFloatReference() {
        byte[] model = TestModels.smallCnn(5);
        SampleSet eval = TestModels.samples(50, 4, 8, 8, 1);
        float[][] reference = Evaluator.referenceOutputs(model, eval, 1);
        EvalResult self = Evaluator.evaluate(model, eval, reference, 1, 0);
        assertThat(self.agreementWithReference()).isEqualTo(1.0);
        assertThat(self.maxAbsDiffVsReference()).isZero();
        assertThat(self.top1Accuracy()).isBetween(0.0, 1.0);

        byte[] int8 = Quantizer.quantize(model, QuantizationMode.FULL_INT8, TestModels.samples(32, 9, 8, 8, 1))
                .tflite();
        EvalResult q = Evaluator.evaluate(int8, eval, reference, 1, 2);
        assertThat(q.agreementWithReference()).isGreaterThanOrEqualTo(0.9);
        assertThat(q.maxAbsDiffVsReference()).isPositive().isLessThan(0.1);
        assertThat(q.allFinite()).isTrue();
    }
}
