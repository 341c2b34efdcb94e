package io.edgefleet.controlplane.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class TelemetryAggregatorTest {
  private static final Instant T0 = Instant.parse("2026-01-01T10:00:10Z");

  /** Records values into a histogram and keeps them for a direct computation. */
  private static Histogram record(long[] values) {
    Histogram h = LatencyHistograms.empty();
    for (long v : values) {
      h.recordValue(v);
    }
    return h;
  }

  private static long[] values(Random r, int n, int base, int spread) {
    long[] v = new long[n];
    for (int i = 0; i < n; i++) {
      v[i] = base + r.nextInt(spread);
    }
    return v;
  }

  /** Nearest-rank percentile of the raw values. */
  private static long direct(long[] sorted, double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  @Test
  void shouldComputeTruePercentilesFromMergedHistograms() {
    Random r = new Random(42);
    long[] fast = values(r, 4000, 800, 200); // device A: 800..999 µs
    long[] slow = values(r, 1000, 5000, 3000); // device B: 5000..7999 µs
    // round-trip through the wire encoding, as the consumer sees them
    Histogram a = LatencyHistograms.decode(LatencyHistograms.encode(record(fast)));
    Histogram b = LatencyHistograms.decode(LatencyHistograms.encode(record(slow)));
    List<TelemetrySample> samples = List.of(
        new TelemetrySample("a", "hc-1", T0, 4000, a, 4000, 3600, 4000, 3900, 0),
        new TelemetrySample("b", "hc-2", T0.plusSeconds(70), 1000, b, 1000, 850, 1000, 950, 3));

    TelemetryAggregate agg = TelemetryAggregator.aggregate("build", null, samples);

    long[] all = new long[fast.length + slow.length];
    System.arraycopy(fast, 0, all, 0, fast.length);
    System.arraycopy(slow, 0, all, fast.length, slow.length);
    Arrays.sort(all);
    for (double p : new double[] {50, 95, 99}) {
      double expected = direct(all, p);
      double actual = p == 50 ? agg.p50Micros() : p == 95 ? agg.p95Micros() : agg.p99Micros();
      assertThat(actual).as("p%s", p).isCloseTo(expected, within(expected * 0.001 + 1));
    }
    // averaging the devices' own p95s would be far off: the merged p95 sits in the slow device's range
    assertThat(agg.p95Micros()).isGreaterThan(5000);
    assertThat(agg.inferences()).isEqualTo(5000);
    assertThat(agg.devices()).isEqualTo(2);
    assertThat(agg.top1Accuracy()).isCloseTo(4450.0 / 5000, within(1e-12));
    assertThat(agg.agreementWithFloat()).isCloseTo(4850.0 / 5000, within(1e-12));
    assertThat(agg.errorCount()).isEqualTo(3);
    assertThat(agg.maxMicros()).isCloseTo(all[all.length - 1], within(all[all.length - 1] * 0.001 + 1));
  }

  @Test
  void shouldBucketWindowsPerMinute() {
    Histogram h1 = record(new long[] {100, 200, 300});
    Histogram h2 = record(new long[] {1000, 2000});
    List<TelemetrySample> samples = new ArrayList<>();
    samples.add(new TelemetrySample("a", "hc", T0, 3, h1, 0, 0, 0, 0, 0));
    samples.add(new TelemetrySample("a", "hc", T0.plusSeconds(65), 2, h2, 0, 0, 0, 0, 0));

    TelemetryAggregate agg = TelemetryAggregator.aggregate("build", "hc", samples);

    assertThat(agg.windows()).hasSize(2);
    assertThat(agg.windows().get(0).minute()).isEqualTo(Instant.parse("2026-01-01T10:00:00Z"));
    assertThat(agg.windows().get(0).p50Micros()).isCloseTo(200.0, within(1.0));
    assertThat(agg.windows().get(1).p99Micros()).isCloseTo(2000.0, within(2.0));
    assertThat(agg.lastReportAt()).isEqualTo(T0.plusSeconds(65));
  }

  @Test
  void shouldLeaveRatiosAndPercentilesEmptyWithoutData() {
    TelemetryAggregate agg = TelemetryAggregator.aggregate("build", null,
        List.of(new TelemetrySample("a", "hc", T0, 7, null, 0, 0, 0, 0, 1)));

    assertThat(agg.inferences()).isEqualTo(7);
    assertThat(agg.p50Micros()).isNull();
    assertThat(agg.top1Accuracy()).isNull();
    assertThat(agg.agreementWithFloat()).isNull();
    assertThat(agg.windows()).singleElement().satisfies(w -> assertThat(w.p95Micros()).isNull());
  }

  @Test
  void shouldRejectGarbageHistograms() {
    assertThatThrownBy(() -> LatencyHistograms.decode("not base64 !!")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LatencyHistograms.decode("AAAAAAAAAAAAAAAA"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldGiveTheSameAggregateWhateverOrderBatchesAreRolledUpIn() {
    Random r = new Random(7);
    List<TelemetrySample> samples = new java.util.ArrayList<>();
    for (int i = 0; i < 60; i++) {
      long[] v = values(r, 50 + r.nextInt(50), 500 + r.nextInt(2000), 1000);
      Histogram h = i % 7 == 0 ? null : LatencyHistograms.decode(LatencyHistograms.encode(record(v)));
      long labelled = v.length;
      samples.add(new TelemetrySample("d" + (i % 9), i % 4 == 0 ? null : "hc-" + (i % 3),
          T0.plusSeconds(17L * i), v.length, h, labelled, labelled - r.nextInt(5), labelled, labelled - r.nextInt(3),
          r.nextInt(2)));
    }
    TelemetryAggregate direct = TelemetryAggregator.aggregate("b", null, samples);

    // ingestion merges batch by batch into the minute rows, in whatever order they arrive
    List<TelemetrySample> shuffled = new java.util.ArrayList<>(samples);
    java.util.Collections.shuffle(shuffled, new Random(11));
    java.util.Map<List<Object>, MinuteRollup> rows = new java.util.HashMap<>();
    for (TelemetrySample s : shuffled) {
      MinuteRollup one = TelemetryAggregator.rollUp(List.of(s)).get(0);
      rows.merge(List.of(one.hardwareClass(), one.minute()), one, TelemetryAggregator::merge);
    }
    TelemetryAggregate incremental = TelemetryAggregator.fromMinutes("b", null, 9, List.copyOf(rows.values()));

    assertThat(incremental).usingRecursiveComparison().isEqualTo(direct);
    assertThat(direct.batches()).isEqualTo(60);
    assertThat(direct.windows()).hasSizeGreaterThan(10);
  }
}
