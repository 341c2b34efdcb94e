package io.edgefleet.simulator.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencyProfileTest {

  private static Histogram bimodal() {
    // 90% around 1 ms, 10% around 10 ms: a distribution a mean-and-stddev model would get wrong
    Histogram h = new Histogram(1, 60_000_000L, 3);
    for (int i = 0; i < 9000; i++) {
      h.recordValue(900 + i % 200);
    }
    for (int i = 0; i < 1000; i++) {
      h.recordValue(9_000 + i * 2);
    }
    return h;
  }

  @Test
  void shouldReplayTheMeasuredDistribution() {
    Histogram measured = bimodal();
    LatencyProfile profile = LatencyProfile.fromHistogram("b1", measured, 0.9, 0.99);

    Histogram replayed = profile.replayWindow(200_000, new SplittableRandom(42));

    assertThat(replayed.getTotalCount()).isEqualTo(200_000);
    for (double p : new double[] {10, 50, 85, 95, 99}) {
      double expected = measured.getValueAtPercentile(p);
      assertThat((double) replayed.getValueAtPercentile(p)).as("p%s", p).isCloseTo(expected,
          org.assertj.core.data.Percentage.withPercentage(5));
    }
    assertThat(profile.measuredInferences()).isEqualTo(10_000);
    assertThat(profile.p50Micros()).isBetween(900L, 1100L);
  }

  @Test
  void shouldDrawOnlyMeasuredValues() {
    LatencyProfile profile = LatencyProfile.fromHistogram("b1", bimodal(), 0.9, 0.99);
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 10_000; i++) {
      long v = profile.sampleMicros(random);
      assertThat(v).isBetween(899L, 11_010L);
    }
  }

  @Test
  void shouldRejectAnEmptyMeasurement() {
    assertThatThrownBy(() -> LatencyProfile.fromHistogram("b1", new Histogram(3), 1, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
  }

  @Test
  void shouldRejectDescendingQuantiles() {
    long[] q = new long[LatencyProfile.QUANTILES];
    java.util.Arrays.fill(q, 5);
    q[3] = 4;
    assertThatThrownBy(() -> new LatencyProfile("b1", q, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
