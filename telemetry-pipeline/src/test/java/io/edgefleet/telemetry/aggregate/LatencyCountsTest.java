package io.edgefleet.telemetry.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencyCountsTest {

  @Test
  void shouldUseHdrHistogramsBucketsAndPercentiles() {
    Random random = new Random(7);
    LatencyCounts counts = LatencyCounts.empty();
    Histogram reference = LatencyHistograms.empty();
    for (int i = 0; i < 20_000; i++) {
      long v = random.nextInt(10) == 0 ? (long) (random.nextDouble() * 60_000_000L) : random.nextInt(5_000);
      long c = 1 + random.nextInt(3);
      counts.record(v, c);
      reference.recordValueWithCount(v, c);
    }
    Histogram back = counts.toHistogram();
    assertThat(back).isEqualTo(reference);
    assertThat(back.getTotalCount()).isEqualTo(reference.getTotalCount());
    assertThat(back.getMaxValue()).isEqualTo(reference.getMaxValue());
    assertThat(back.getMinNonZeroValue()).isEqualTo(reference.getMinNonZeroValue());
    for (double p : new double[] {50, 90, 99, 99.9}) {
      assertThat(back.getValueAtPercentile(p)).as("p%s", p).isEqualTo(reference.getValueAtPercentile(p));
    }
    assertThat(back.getMean()).isEqualTo(reference.getMean());
  }

  @Test
  void shouldWriteAnEncodingHdrHistogramReadsAndReadItBack() {
    LatencyCounts counts = LatencyCounts.empty();
    Histogram reference = LatencyHistograms.empty();
    long[] values = {0, 1, 2, 900, 901, 2_047, 2_048, 2_049, 123_456, 59_999_999, 1L << 40};
    for (long v : values) {
      counts.record(v, v % 5 + 1);
      reference.recordValueWithCount(v, v % 5 + 1);
    }
    ByteBuffer buffer = ByteBuffer.allocate(counts.maxEncodedBytes());
    int n = counts.encodeInto(buffer);
    assertThat(n).isEqualTo(buffer.position()).isLessThan(200);

    Histogram viaHdr = Histogram.decodeFromByteBuffer(ByteBuffer.wrap(buffer.array(), 0, n), 0);
    assertThat(viaHdr.getTotalCount()).isEqualTo(reference.getTotalCount());
    assertThat(viaHdr.getMaxValue()).isEqualTo(reference.getMaxValue());
    assertThat(viaHdr.getValueAtPercentile(50)).isEqualTo(reference.getValueAtPercentile(50));

    LatencyCounts back = LatencyCounts.decode(ByteBuffer.wrap(buffer.array(), 0, n), n);
    assertThat(back).isEqualTo(counts);
    assertThat(back.toHistogram()).isEqualTo(reference);
  }

  @Test
  void shouldReadTheEncodingHdrHistogramWritesForTheSameLayout() {
    Histogram h = LatencyHistograms.empty();
    for (long v = 1; v < 10_000_000; v = v * 3 + 1) {
      h.recordValueWithCount(v, v % 7 + 1);
    }
    ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    int n = h.encodeIntoByteBuffer(buffer);

    LatencyCounts back = LatencyCounts.decode(ByteBuffer.wrap(buffer.array(), 0, n), n);

    assertThat(back.toHistogram()).isEqualTo(h);
  }

  @Test
  void shouldMergeIndexByIndexAndCopyDeeply() {
    LatencyCounts a = LatencyCounts.empty();
    LatencyCounts b = LatencyCounts.empty();
    a.record(100, 2);
    b.record(100, 1);
    b.record(5_000_000, 4);
    LatencyCounts copy = a.copy();
    a.add(b);
    assertThat(a.totalCount()).isEqualTo(7);
    assertThat(a.toHistogram().getCountAtValue(100)).isEqualTo(3);
    assertThat(a.toHistogram().getMaxValue()).isEqualTo(b.toHistogram().getMaxValue());
    assertThat(copy.totalCount()).isEqualTo(2);
    assertThat(LatencyCounts.empty().encodeInto(ByteBuffer.allocate(64))).isZero();
  }

  @Test
  void shouldRejectForeignLayoutsAndDamagedEncodings() {
    Histogram otherLayout = new Histogram(1, 60_000_000L, 2);
    otherLayout.recordValue(42);
    ByteBuffer buffer = ByteBuffer.allocate(otherLayout.getNeededByteBufferCapacity());
    int n = otherLayout.encodeIntoByteBuffer(buffer);
    assertThatThrownBy(() -> LatencyCounts.decode(ByteBuffer.wrap(buffer.array(), 0, n), n))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("digits 2");

    LatencyCounts counts = LatencyCounts.empty();
    counts.record(700, 3);
    ByteBuffer own = ByteBuffer.allocate(counts.maxEncodedBytes());
    int m = counts.encodeInto(own);
    assertThatThrownBy(() -> LatencyCounts.decode(ByteBuffer.wrap(own.array(), 0, m - 1), m - 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> counts.record(-1, 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
