package io.edgefleet.telemetry.testing;

import io.edgefleet.schemas.events.InferenceTelemetry;
import io.edgefleet.schemas.events.LatencyStats;
import io.edgefleet.telemetry.aggregate.LatencyHistograms;
import java.time.Instant;
import org.HdrHistogram.Histogram;

/** Builds telemetry batches the way agents do: an HdrHistogram of raw latencies (µs), compressed and base64-encoded. */
public final class Telemetry {
  private Telemetry() {}

  /** Histogram of {@code values} with the agents' parameters (1 µs .. 60 s, 3 digits). */
  public static Histogram histogram(long... values) {
    Histogram h = new Histogram(1, 60_000_000L, 3);
    for (long v : values) {
      h.recordValue(v);
    }
    return h;
  }

  /** A consistent batch whose latency histogram holds exactly {@code latencies}. */
  public static InferenceTelemetry batch(String deviceId, long sequence, String buildKey, String rolloutId,
      String hardwareClass, Instant windowEnd, long[] latencies, long labelled, long correct, long reference,
      long agreement, long errors) {
    Histogram h = histogram(latencies);
    LatencyStats stats = new LatencyStats(h.getTotalCount(), h.getValueAtPercentile(50), h.getValueAtPercentile(95),
        h.getValueAtPercentile(99), h.getTotalCount() == 0 ? 0 : h.getMaxValue(), h.getTotalCount() == 0 ? 0 : h.getMean(),
        LatencyHistograms.encodeBase64(h));
    return new InferenceTelemetry(deviceId, sequence, buildKey, rolloutId, hardwareClass, windowEnd.minusSeconds(10),
        windowEnd, stats, labelled, correct, reference, agreement, errors, 1, null);
  }
}
