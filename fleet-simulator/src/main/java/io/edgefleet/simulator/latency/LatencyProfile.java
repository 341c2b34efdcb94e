package io.edgefleet.simulator.latency;

import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.HdrHistogram.Histogram;

/**
 * A latency distribution measured once for a build, replayed by the simulated devices running it. The measured
 * distribution is kept as an inverse CDF table ({@value #QUANTILES} quantiles), so sampling is O(1) and draws follow
 * the measured distribution.
 *
 * @param buildKey the build measured
 * @param quantilesMicros the value at quantile {@code (i + 0.5) / QUANTILES}, ascending, microseconds
 * @param measuredInferences how many inferences were timed
 * @param top1Accuracy measured top-1 accuracy of the build on the model's evaluation set (NaN if unlabelled)
 * @param agreementWithFloat measured top-1 agreement with the float model's outputs (NaN if no reference)
 */
public record LatencyProfile(
    String buildKey, long[] quantilesMicros, long measuredInferences, double top1Accuracy, double agreementWithFloat) {

  public static final int QUANTILES = 1000;

  public LatencyProfile {
    Objects.requireNonNull(buildKey, "buildKey");
    Objects.requireNonNull(quantilesMicros, "quantilesMicros");
    if (quantilesMicros.length != QUANTILES) {
      throw new IllegalArgumentException("expected " + QUANTILES + " quantiles, got " + quantilesMicros.length);
    }
    quantilesMicros = quantilesMicros.clone();
    for (int i = 1; i < quantilesMicros.length; i++) {
      if (quantilesMicros[i] < quantilesMicros[i - 1]) {
        throw new IllegalArgumentException("quantiles must be ascending");
      }
    }
    if (quantilesMicros[0] < 1) {
      throw new IllegalArgumentException("latencies must be >= 1 µs");
    }
  }

  /** The profile of a measured histogram (microseconds). */
  public static LatencyProfile fromHistogram(String buildKey, Histogram measured, double top1, double agreement) {
    if (measured.getTotalCount() == 0) {
      throw new IllegalArgumentException("empty latency histogram for " + buildKey);
    }
    long[] q = new long[QUANTILES];
    for (int i = 0; i < QUANTILES; i++) {
      q[i] = Math.max(1, measured.getValueAtPercentile(100.0 * (i + 0.5) / QUANTILES));
    }
    return new LatencyProfile(buildKey, q, measured.getTotalCount(), top1, agreement);
  }

  /** One latency drawn from the measured distribution. */
  public long sampleMicros(RandomGenerator random) {
    return quantilesMicros[random.nextInt(QUANTILES)];
  }

  /** A window of {@code inferences} replayed latencies as a histogram in the agents' layout (1 µs .. 60 s, 3 digits). */
  public Histogram replayWindow(int inferences, RandomGenerator random) {
    Histogram h = new Histogram(1, 60_000_000L, 3);
    for (int i = 0; i < inferences; i++) {
      h.recordValue(sampleMicros(random));
    }
    return h;
  }

  /** Median of the measured distribution. */
  public long p50Micros() {
    return quantilesMicros[QUANTILES / 2];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LatencyProfile p && buildKey.equals(p.buildKey) && Arrays.equals(quantilesMicros, p.quantilesMicros)
        && measuredInferences == p.measuredInferences && Double.compare(top1Accuracy, p.top1Accuracy) == 0
        && Double.compare(agreementWithFloat, p.agreementWithFloat) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(buildKey, Arrays.hashCode(quantilesMicros), measuredInferences, top1Accuracy, agreementWithFloat);
  }

  @Override
  public String toString() {
    return "LatencyProfile[" + buildKey + ", p50=" + p50Micros() + "µs, p99=" + quantilesMicros[QUANTILES * 99 / 100]
        + "µs, n=" + measuredInferences + ", top1=" + top1Accuracy + ", agreement=" + agreementWithFloat + "]";
  }
}
