package io.edgefleet.quantization.quantize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QuantMathTest {

    @Test
    void shouldConvertToHalfPrecisionExactlyForRepresentableValues() {
        assertThat(QuantMath.toHalf(1.0f)).isEqualTo((short) 0x3c00);
        assertThat(QuantMath.toHalf(-2.0f)).isEqualTo((short) 0xc000);
        assertThat(QuantMath.toHalf(65504f)).isEqualTo((short) 0x7bff);
        assertThat(QuantMath.toHalf(0x1p-24f)).isEqualTo((short) 0x0001);
        assertThat(QuantMath.toHalf(0x1p-14f)).isEqualTo((short) 0x0400);
        assertThat(QuantMath.toHalf(0f)).isEqualTo((short) 0);
        assertThat(QuantMath.toHalf(1e6f)).isEqualTo((short) 0x7c00);
        // round to nearest even: 1 + 2^-11 is halfway between 1 and 1 + 2^-10
        assertThat(QuantMath.toHalf(1f + 0x1p-11f)).isEqualTo((short) 0x3c00);
        assertThat(QuantMath.toHalf(1f + 3 * 0x1p-11f)).isEqualTo((short) 0x3c02);
        for (int bits = 0; bits < 0x7c00; bits += 7) {
            float f = QuantMath.fromHalf((short) bits);
            assertThat(QuantMath.toHalf(f)).isEqualTo((short) bits);
        }
    }

    @Test
    void shouldComputeAsymmetricParamsThatRepresentZeroExactly() {
        QuantMath.Params p = QuantMath.asymmetric(-1f, 3f, -128, 127);
        assertThat(p.scale()).isEqualTo(4f / 255);
        assertThat(p.zeroPoint()).isEqualTo(-128 + Math.round(1f / (4f / 255)));
        QuantMath.Params positive = QuantMath.asymmetric(0.5f, 2f, -128, 127); // widened to include 0
        assertThat(positive.zeroPoint()).isEqualTo(-128L);
        assertThat(positive.scale()).isEqualTo(2f / 255);
    }

    @Test
    void shouldQuantizeWeightsPerChannelSymmetrically() {
        float[] w = {1f, -0.5f, 0.25f, 0f, -4f, 2f};
        int[] shape = {2, 3};
        float[] s = QuantMath.channelScales(w, shape, 0, 127);
        assertThat(s).containsExactly(1f / 127, 4f / 127);
        int[] q = QuantMath.quantizeChannels(w, shape, 0, s, 127);
        assertThat(q).containsExactly(127, -64, 32, 0, -127, 64);
        float[] dw = {1f, -2f, 0.5f, 4f}; // shape [1, 1, 2, 2] axis 3
        float[] ds = QuantMath.channelScales(dw, new int[] {1, 1, 2, 2}, 3, 127);
        assertThat(ds).containsExactly(1f / 127, 4f / 127);
    }
}
