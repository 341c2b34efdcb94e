package io.edgefleet.quantization.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefleet.quantization.ErrorCode;
import io.edgefleet.quantization.QuantizationException;
import io.edgefleet.quantization.samples.SampleSet;
import io.edgefleet.quantization.testing.GraphBuilder;
import io.edgefleet.quantization.testing.TestModels;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.FullyConnectedOptionsT;

class TfliteRunnerTest {

    @Test
    void shouldRunAFloatModelAndComputeTheRightValues() {
        GraphBuilder b = new GraphBuilder(1);
        int in = b.activation("in", 1, 3);
        int w = b.constant("w", new float[] {1f, 2f, 3f, -1f, 0f, 1f}, 2, 3);
        int bias = b.constant("b", new float[] {0.5f, -0.5f}, 2);
        int out = b.activation("out", 1, 2);
        b.op(BuiltinOperator.FULLY_CONNECTED, BuiltinOptions.FullyConnectedOptions, new FullyConnectedOptionsT(),
                new int[] {in, w, bias}, out).io(new int[] {in}, new int[] {out});
        try (TfliteRunner runner = TfliteRunner.load(b.build(), 1)) {
            assertThat(runner.inputShape()).containsExactly(1, 3);
            assertThat(runner.outputShape()).containsExactly(1, 2);
            float[] y = runner.infer(new float[] {1f, 1f, 2f});
            assertThat(y[0]).isCloseTo(1 + 2 + 6 + 0.5f, Offset.offset(1e-5f));
            assertThat(y[1]).isCloseTo(-1 + 2 - 0.5f, Offset.offset(1e-5f));
        }
    }

    @Test
    void shouldRunTheSmallCnnOnASampleSet() {
        SampleSet samples = TestModels.samples(5, 1, 8, 8, 1);
        try (TfliteRunner runner = TfliteRunner.load(TestModels.smallCnn(1), 2)) {
            float[][] out = runner.inferAll(samples);
            assertThat(out).hasNumberOfRows(5);
            for (float[] probs : out) {
                double sum = 0;
                for (float p : probs) {
                    sum += p;
                }
                assertThat(sum).isCloseTo(1.0, Offset.offset(1e-4));
            }
        }
    }

    @Test
    void shouldReportNodesAndDelegatedExecutionSteps() {
        try (TfliteRunner runner = TfliteRunner.load(TestModels.smallCnn(3), 1)) {
            // 7 operators (+ the delegate kernel node when XNNPACK takes them)
            assertThat(runner.nodeCount()).isBetween(7, 8);
            // the bundled runtime applies XNNPACK by default to float graphs: fewer steps than operators
            assertThat(runner.executionSteps()).isBetween(1, 6);
        }
    }

    @Test
    void shouldRejectMismatchedInput() {
        try (TfliteRunner runner = TfliteRunner.load(TestModels.smallCnn(1), 1)) {
            SampleSet wrong = TestModels.samples(2, 1, 4, 4, 1);
            assertThatThrownBy(() -> runner.inferAll(wrong)).isInstanceOfSatisfying(QuantizationException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.CALIBRATION_MISMATCH));
        }
    }

    @Test
    void shouldReportRuntimeFailuresWithACode() {
        GraphBuilder b = new GraphBuilder(1);
        int in = b.activation("in", 1, 3);
        int w = b.constant("w", new float[] {1f, 2f, 3f, -1f, 0f, 1f}, 2, 3);
        int out = b.activation("out", 1, 5); // wrong output shape is fine, but a mismatched weight is not
        int bias = b.constant("b", new float[] {0.5f, -0.5f, 1f}, 3);
        b.op(BuiltinOperator.FULLY_CONNECTED, BuiltinOptions.FullyConnectedOptions, new FullyConnectedOptionsT(),
                new int[] {in, w, bias}, out).io(new int[] {in}, new int[] {out});
        assertThatThrownBy(() -> TfliteRunner.load(b.build(), 1)).isInstanceOfSatisfying(
                QuantizationException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RUNTIME_ERROR));
    }

    @Test
    void shouldRejectGarbage() {
        assertThatThrownBy(() -> TfliteRunner.load(new byte[64], 1)).isInstanceOfSatisfying(
                QuantizationException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT_MODEL));
    }
}
