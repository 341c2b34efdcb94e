package io.edgefleet.quantization.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefleet.quantization.ErrorCode;
import io.edgefleet.quantization.QuantizationException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SampleSetCodecTest {

    private static SampleSet set() {
        return new SampleSet(new int[] {2, 2, 1}, new float[][] {{0f, 0.25f, 0.5f, 1f}, {1f, 0f, 0.2f, 0.4f}},
                new int[] {3, 7});
    }

    @Test
    void shouldRoundTripFloat32Uncompressed() {
        SampleSet back = SampleSetCodec.read(SampleSetCodec.write(set()));
        assertThat(back).isEqualTo(set());
        assertThat(back.count()).isEqualTo(2);
        assertThat(back.sampleSize()).isEqualTo(4);
    }

    @Test
    void shouldRoundTripUint8Gzipped() {
        byte[] bytes = SampleSetCodec.write(set(), SampleSetCodec.Encoding.UINT8, true);
        assertThat(bytes[0] & 0xff).isEqualTo(0x1f);
        SampleSet back = SampleSetCodec.read(bytes);
        assertThat(back.labels()).containsExactly(3, 7);
        for (int s = 0; s < 2; s++) {
            for (int i = 0; i < 4; i++) {
                assertThat(back.inputs()[s][i]).isCloseTo(set().inputs()[s][i], org.assertj.core.data.Offset.offset(
                        0.6f / 255f));
            }
        }
    }

    @Test
    void shouldRoundTripUnlabelled() {
        SampleSet unlabelled = new SampleSet(new int[] {3}, new float[][] {{1f, 2f, 3f}}, null);
        SampleSet back = SampleSetCodec.read(SampleSetCodec.write(unlabelled));
        assertThat(back.hasLabels()).isFalse();
        assertThat(back.inputs()[0]).containsExactly(1f, 2f, 3f);
    }

    @Test
    void shouldSlice() {
        SampleSet slice = set().slice(1, 2);
        assertThat(slice.count()).isEqualTo(1);
        assertThat(slice.labels()).containsExactly(7);
    }

    @Test
    void shouldRejectBadMagic() {
        byte[] bytes = SampleSetCodec.write(set());
        bytes[0] = 'X';
        assertInvalid(bytes, "magic");
    }

    @Test
    void shouldRejectTruncatedData() {
        byte[] bytes = SampleSetCodec.write(set());
        assertInvalid(Arrays.copyOf(bytes, bytes.length - 3), "truncated");
    }

    @Test
    void shouldRejectTrailingBytes() {
        byte[] bytes = SampleSetCodec.write(set());
        assertInvalid(Arrays.copyOf(bytes, bytes.length + 1), "trailing");
    }

    @Test
    void shouldRejectAbsurdSizesWithoutAllocating() throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(raw);
        out.writeBytes("EFS1");
        out.writeInt(Integer.MAX_VALUE);
        out.writeInt(3);
        out.writeInt(1 << 14);
        out.writeInt(1 << 14);
        out.writeInt(1);
        assertInvalid(raw.toByteArray(), "too large");
    }

    @Test
    void shouldRejectZeroSamplesAndBadDtype() throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(raw);
        out.writeBytes("EFS1");
        out.writeInt(0);
        assertInvalid(raw.toByteArray(), ">= 1");
        raw.reset();
        out.writeBytes("EFS1");
        out.writeInt(1);
        out.writeInt(1);
        out.writeInt(1);
        out.writeByte(7);
        assertInvalid(raw.toByteArray(), "dtype");
    }

    @Test
    void shouldRejectEmptySetInMemory() {
        assertThatThrownBy(() -> new SampleSet(new int[] {2}, new float[0][], null))
                .isInstanceOfSatisfying(QuantizationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SAMPLES));
    }

    @Test
    void shouldDetectNonFiniteValues() {
        SampleSet s = new SampleSet(new int[] {2}, new float[][] {{1f, Float.NaN}}, null);
        assertThatThrownBy(s::requireFinite).isInstanceOfSatisfying(QuantizationException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.NON_FINITE_VALUES));
    }

    private static void assertInvalid(byte[] bytes, String messagePart) {
        assertThatThrownBy(() -> SampleSetCodec.read(bytes)).isInstanceOfSatisfying(QuantizationException.class,
                e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SAMPLES);
                    assertThat(e.getMessage()).contains(messagePart);
                });
    }
}
