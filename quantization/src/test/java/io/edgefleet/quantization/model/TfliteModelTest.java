package io.edgefleet.quantization.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefleet.quantization.ErrorCode;
import io.edgefleet.quantization.QuantizationException;
import io.edgefleet.quantization.testing.GraphBuilder;
import io.edgefleet.quantization.testing.TestModels;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.TensorType;

class TfliteModelTest {

    @Test
    void shouldParseGraphView() {
        TfliteModel m = TfliteModel.parse(TestModels.smallCnn(1));
        assertThat(m.ops()).extracting(OpInfo::name).containsExactly("CONV_2D", "RELU6", "DEPTHWISE_CONV_2D",
                "AVERAGE_POOL_2D", "RESHAPE", "FULLY_CONNECTED", "SOFTMAX");
        assertThat(m.input().shape()).containsExactly(1, 8, 8, 1);
        assertThat(m.output().shape()).containsExactly(1, 10);
        int convOut = m.ops().get(0).outputs()[0];
        assertThat(m.producer(convOut)).isEqualTo(0);
        assertThat(m.consumers(convOut)).containsExactly(1);
        assertThat(m.producer(m.input().index())).isEqualTo(-1);
        OpInfo conv = m.ops().get(0);
        assertThat(conv.macs()).isEqualTo(8L * 8 * 8 * 3 * 3 * 1);
        assertThat(conv.parameterCount()).isEqualTo(8 * 9 + 8);
        assertThat(conv.parameterBytes()).isEqualTo((8 * 9 + 8) * 4);
        assertThat(m.ops().get(5).macs()).isEqualTo(10L * 128);
        assertThat(m.tensor(conv.inputs()[1]).constant()).isTrue();
        assertThat(m.constantFloats(conv.inputs()[1])).hasSize(72);

        ModelSummary s = m.summary();
        assertThat(s.operatorCount()).isEqualTo(7);
        assertThat(s.opCounts()).containsEntry("CONV_2D", 1).containsEntry("SOFTMAX", 1);
        assertThat(s.totalMacs()).isEqualTo(m.ops().stream().mapToLong(OpInfo::macs).sum());
        assertThat(s.inputType()).isEqualTo("FLOAT32");
        assertThat(s.layers()).hasSize(7);
        m.requireFloatModelSupported();
        m.requireFiniteWeights();
    }

    @Test
    void shouldRejectTruncatedAndCorruptBytes() {
        byte[] good = TestModels.smallCnn(2);
        for (int cut : new int[] {0, 10, 100, good.length / 2, good.length - 7}) {
            assertCode(() -> TfliteModel.parse(Arrays.copyOf(good, cut)), ErrorCode.CORRUPT_MODEL);
        }
        Random r = new Random(3);
        for (int i = 0; i < 30; i++) {
            byte[] bad = good.clone();
            for (int k = 0; k < 8; k++) {
                bad[r.nextInt(Math.min(bad.length, 400))] = (byte) r.nextInt();
            }
            try {
                TfliteModel.parse(bad);
            } catch (QuantizationException e) {
                assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT_MODEL);
            }
        }
        assertCode(() -> TfliteModel.parse("not a model at all, just text....".getBytes()), ErrorCode.CORRUPT_MODEL);
    }

    @Test
    void shouldRejectOutOfRangeIndicesAndAbsurdShapes() {
        GraphBuilder b = new GraphBuilder(1);
        int in = b.activation("in", 1, 4);
        int out = b.activation("out", 1, 4);
        b.op(BuiltinOperator.RELU, BuiltinOptions.NONE, null, new int[] {in}, out).io(new int[] {in},
                new int[] {out});
        ModelT bad = b.modelT();
        bad.getSubgraphs()[0].getOperators()[0].setInputs(new int[] {42});
        assertCode(() -> TfliteModel.parse(TfliteModel.serialize(bad)), ErrorCode.CORRUPT_MODEL);

        ModelT huge = b.modelT();
        huge.getSubgraphs()[0].getTensors()[0].setShape(new int[] {1 << 15, 1 << 15, 4});
        assertCode(() -> TfliteModel.parse(TfliteModel.serialize(huge)), ErrorCode.CORRUPT_MODEL);

        ModelT badBuffer = b.modelT();
        badBuffer.getSubgraphs()[0].getTensors()[0].setBuffer(99);
        assertCode(() -> TfliteModel.parse(TfliteModel.serialize(badBuffer)), ErrorCode.CORRUPT_MODEL);
    }

    @Test
    void shouldReportAllUnsupportedOpsByName() {
        GraphBuilder b = new GraphBuilder(1);
        int in = b.activation("in", 1, 4);
        int t1 = b.activation("t1", 1, 4);
        int t2 = b.activation("t2", 1, 4);
        int t3 = b.activation("t3", 1, 4);
        b.op(BuiltinOperator.EXP, BuiltinOptions.NONE, null, new int[] {in}, t1);
        b.op(BuiltinOperator.RELU, BuiltinOptions.NONE, null, new int[] {t1}, t2);
        b.op(BuiltinOperator.SQRT, BuiltinOptions.NONE, null, new int[] {t2}, t3);
        b.io(new int[] {in}, new int[] {t3});
        TfliteModel m = TfliteModel.parse(b.build());
        assertThatThrownBy(m::requireFloatModelSupported).isInstanceOfSatisfying(QuantizationException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_OP);
            assertThat(e.getMessage()).contains("EXP").contains("SQRT").doesNotContain("RELU");
        });
    }

    @Test
    void shouldRejectNonFloatInput() {
        GraphBuilder b = new GraphBuilder(1);
        int in = b.tensor("in", TensorType.INT8, new int[] {1, 4}, null);
        int out = b.tensor("out", TensorType.INT8, new int[] {1, 4}, null);
        b.op(BuiltinOperator.RELU, BuiltinOptions.NONE, null, new int[] {in}, out).io(new int[] {in},
                new int[] {out});
        TfliteModel m = TfliteModel.parse(b.build());
        assertCode(m::requireFloatModelSupported, ErrorCode.NOT_FLOAT_MODEL);
    }

    @Test
    void shouldDetectNonFiniteWeights() {
        GraphBuilder b = new GraphBuilder(1);
        int in = b.activation("in", 1, 2);
        int w = b.constant("w", new float[] {1f, Float.NaN, 0f, 1f}, 2, 2);
        int bias = b.constant("b", new float[] {0f, 0f}, 2);
        int out = b.activation("out", 1, 2);
        b.op(BuiltinOperator.FULLY_CONNECTED, BuiltinOptions.FullyConnectedOptions,
                new org.tensorflow.lite.schema.FullyConnectedOptionsT(), new int[] {in, w, bias}, out)
                .io(new int[] {in}, new int[] {out});
        TfliteModel m = TfliteModel.parse(b.build());
        assertCode(m::requireFiniteWeights, ErrorCode.NON_FINITE_VALUES);
    }

    @Test
    void shouldSerializeRoundTripWithoutEmptyDataVectors() {
        TfliteModel m = TfliteModel.parse(TestModels.smallCnn(4));
        ModelT copy = m.copyModelT();
        byte[] again = TfliteModel.serialize(copy);
        TfliteModel back = TfliteModel.parse(again);
        assertThat(back.ops()).hasSameSizeAs(m.ops());
        assertThat(back.copyModelT().getBuffers()[0].getData()).isEmpty();
    }

    private static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(QuantizationException.class,
                e -> assertThat(e.code()).isEqualTo(code));
    }
}
