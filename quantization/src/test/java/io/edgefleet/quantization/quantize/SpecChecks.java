package io.edgefleet.quantization.quantize;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefleet.quantization.model.OpInfo;
import io.edgefleet.quantization.model.TensorInfo;
import io.edgefleet.quantization.model.TfliteModel;

/** Assertions that a parsed model obeys the TFLite int8 quantization specification. */
final class SpecChecks {
    private SpecChecks() {
    }

    static void assertInt8Spec(TfliteModel m) {
        for (OpInfo op : m.ops()) {
            int[] in = op.inputs();
            switch (op.name()) {
                case "CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED" -> {
                    TensorInfo input = m.tensor(in[0]);
                    TensorInfo w = m.tensor(in[1]);
                    int axis = op.name().equals("DEPTHWISE_CONV_2D") ? 3 : 0;
                    assertThat(input.type()).isEqualTo("INT8");
                    assertThat(w.type()).isEqualTo("INT8");
                    assertThat(w.quantizedDimension()).as("weight axis of %s", op).isEqualTo(axis);
                    assertThat(w.scales()).hasSize(w.shape()[axis]);
                    assertThat(w.zeroPoints()).containsOnly(0L);
                    byte[] bytes = m.constantBytes(in[1]);
                    assertThat(bytes).hasSize((int) w.elements()).doesNotContain((byte) -128);
                    assertThat(m.tensor(op.outputs()[0]).type()).isEqualTo("INT8");
                    int expectedVersion = switch (op.name()) {
                        case "CONV_2D", "DEPTHWISE_CONV_2D" -> 3;
                        default -> 4;
                    };
                    assertThat(op.version()).as("version of %s", op).isEqualTo(expectedVersion);
                    if (in.length > 2 && in[2] >= 0) {
                        TensorInfo b = m.tensor(in[2]);
                        assertThat(b.type()).isEqualTo("INT32");
                        assertThat(b.zeroPoints()).containsOnly(0L);
                        float[] ws = w.scales();
                        float[] bs = b.scales();
                        assertThat(bs).hasSize(ws.length);
                        for (int c = 0; c < ws.length; c++) {
                            assertThat(bs[c]).isEqualTo(input.scales()[0] * ws[c]);
                        }
                    }
                }
                case "SOFTMAX", "LOGISTIC" -> {
                    TensorInfo out = m.tensor(op.outputs()[0]);
                    assertThat(out.scales()).containsExactly(1f / 256);
                    assertThat(out.zeroPoints()).containsExactly(-128L);
                    assertThat(op.version()).isEqualTo(2);
                }
                case "TANH" -> {
                    TensorInfo out = m.tensor(op.outputs()[0]);
                    assertThat(out.scales()).containsExactly(1f / 128);
                    assertThat(out.zeroPoints()).containsExactly(0L);
                }
                case "AVERAGE_POOL_2D", "MAX_POOL_2D", "RESHAPE", "PAD" -> {
                    TensorInfo a = m.tensor(in[0]);
                    TensorInfo b = m.tensor(op.outputs()[0]);
                    assertThat(b.scales()).containsExactly(a.scales());
                    assertThat(b.zeroPoints()).containsExactly(a.zeroPoints());
                }
                default -> {
                }
            }
            for (int t : op.outputs()) {
                TensorInfo out = m.tensor(t);
                if (out.type().equals("INT8")) {
                    assertThat(out.scales()).hasSize(1);
                    assertThat(out.scales()[0]).isPositive();
                    assertThat(out.zeroPoints()[0]).isBetween(-128L, 127L);
                }
            }
        }
    }
}
