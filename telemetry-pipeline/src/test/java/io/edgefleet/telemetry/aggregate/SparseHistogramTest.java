package io.edgefleet.telemetry.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class SparseHistogramTest {

  @Test
  void shouldAddTheSameCountsAsHdrHistogramForEveryLayout() {
    long[][] layouts = {{1, 60_000_000L, 3}, {1, 3_600_000_000L, 2}, {1_000, 60_000_000L, 3}, {1, 10_000L, 4},
        {7, 1L << 40, 5}, {1, 2, 0}};
    Random random = new Random(42);
    for (long[] layout : layouts) {
      for (int round = 0; round < 20; round++) {
        Histogram agent = new Histogram(layout[0], layout[1], (int) layout[2]);
        int values = random.nextInt(300);
        for (int i = 0; i < values; i++) {
          long v = 1 + (long) Math.abs(random.nextGaussian() * Math.min(layout[1] / 4, 1L << (5 + round)));
          agent.recordValueWithCount(Math.min(v, layout[1]), 1 + random.nextInt(3));
        }
        byte[] compressed = LatencyHistograms.encode(agent);

        SparseHistogram sparse = SparseHistogram.decodeCompressed(compressed);

        Histogram viaHdr = LatencyHistograms.empty();
        viaHdr.add(LatencyHistograms.decode(compressed));
        Histogram viaSparse = LatencyHistograms.empty();
        sparse.addTo(viaSparse);
        assertThat(viaSparse).as("layout %s round %s", Arrays.toString(layout), round).isEqualTo(viaHdr);
        assertThat(sparse.totalCount()).isEqualTo(agent.getTotalCount());
        assertThat(viaSparse.getMaxValue()).isEqualTo(viaHdr.getMaxValue());
        assertThat(viaSparse.getValueAtPercentile(99)).isEqualTo(viaHdr.getValueAtPercentile(99));
      }
    }
  }

  @Test
  void shouldReadTheV2EncodingDirectly() {
    Histogram agent = new Histogram(1, 60_000_000L, 3);
    agent.recordValue(900);
    agent.recordValueWithCount(50_000, 4);
    ByteBuffer buffer = ByteBuffer.allocate(agent.getNeededByteBufferCapacity());
    int n = agent.encodeIntoByteBuffer(buffer);
    buffer.flip().limit(n);

    SparseHistogram sparse = SparseHistogram.parseV2(buffer);

    assertThat(sparse).isNotNull();
    assertThat(sparse.buckets()).isEqualTo(2);
    assertThat(sparse.totalCount()).isEqualTo(5);
    assertThat(sparse.toHistogram().getCountAtValue(50_000)).isEqualTo(4);
  }

  @Test
  void shouldDecodeAnEmptyHistogram() {
    SparseHistogram sparse = SparseHistogram.decodeCompressed(LatencyHistograms.encode(new Histogram(1, 60_000_000L, 3)));
    assertThat(sparse.totalCount()).isZero();
    assertThat(sparse.buckets()).isZero();
  }

  @Test
  void shouldRejectBytesThatAreNotACompressedHistogram() {
    byte[] valid = LatencyHistograms.encode(new Histogram(1, 60_000_000L, 3));
    byte[] truncated = Arrays.copyOf(valid, valid.length - 4);
    byte[] garbage = "definitely not a histogram".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (byte[] bad : new byte[][] {truncated, garbage, new byte[0]}) {
      assertThatThrownBy(() -> SparseHistogram.decodeCompressed(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not a compressed HdrHistogram");
    }
  }

  @Test
  void shouldListTheBucketsOfAHistogram() {
    Histogram h = new Histogram(1, 60_000_000L, 3);
    h.recordValue(3);
    h.recordValue(3);
    h.recordValue(123_456);
    SparseHistogram sparse = SparseHistogram.of(h);
    assertThat(sparse.buckets()).isEqualTo(2);
    assertThat(sparse.toHistogram().getCountAtValue(3)).isEqualTo(2);
    assertThat(sparse.toHistogram().getMaxValue()).isEqualTo(h.getMaxValue());
  }
}
