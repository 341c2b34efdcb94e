package io.edgefleet.quantization.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefleet.quantization.ErrorCode;
import io.edgefleet.quantization.QuantizationException;
import io.edgefleet.quantization.testing.TestModels;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Corrupted and hostile sample sets: a specific INVALID_SAMPLES error, never another exception or a huge allocation. */
class SampleSetCodecFuzzTest {
  private static final byte[] VALID = SampleSetCodec.write(TestModels.samples(8, 3, 6, 6, 1));

  @Property(tries = 1000, seed = "20261123")
  void shouldDecodeOrRejectMutatedSets(@ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int flips) {
    byte[] bytes = VALID.clone();
    Random random = new Random(seed);
    for (int i = 0; i < flips; i++) {
      bytes[random.nextInt(Math.min(bytes.length, 64))] = (byte) random.nextInt(256); // mostly the header
    }

    try {
      SampleSet set = SampleSetCodec.read(bytes);
      assertThat(set.inputs()).isNotEmpty();
    } catch (QuantizationException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SAMPLES);
    }
  }

  @Test
  void shouldRejectAHeaderDeclaringTheMaximumSizeOverATinyBodyWithoutAllocatingIt() throws IOException {
    // one sample of 2^28 float32 values (the limit: 1 GiB) declared by a 26-byte file
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(buf);
    out.writeBytes("EFS1");
    out.writeInt(1);
    out.writeInt(1);
    out.writeInt(1 << 28);
    out.writeByte(0);
    out.writeByte(0);
    out.writeFloat(0.5f);
    byte[] hostile = buf.toByteArray();
    long before = allocatedByThisThread();

    assertThatThrownBy(() -> SampleSetCodec.read(hostile))
        .isInstanceOfSatisfying(QuantizationException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SAMPLES))
        .hasMessageContaining("truncated");
    assertThat(allocatedByThisThread() - before).as("bytes allocated while rejecting").isLessThan(16L << 20);
  }

  private static long allocatedByThisThread() {
    var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    return threads.getThreadAllocatedBytes(Thread.currentThread().getId());
  }
}
