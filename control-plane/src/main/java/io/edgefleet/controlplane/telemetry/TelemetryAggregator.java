package io.edgefleet.controlplane.telemetry;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/** Pure aggregation of telemetry batches: merged HdrHistograms for true percentiles, ratios of sums for accuracy. */
public final class TelemetryAggregator {
  private TelemetryAggregator() {}

  public static TelemetryAggregate aggregate(String buildKey, String hardwareClass, List<TelemetrySample> samples) {
    Histogram all = LatencyHistograms.empty();
    boolean anyHistogram = false;
    long inferences = 0;
    long labelled = 0;
    long correct = 0;
    long reference = 0;
    long agreement = 0;
    long errors = 0;
    Instant last = null;
    Set<String> devices = new HashSet<>();
    Map<Instant, Histogram> perMinute = new TreeMap<>();
    Map<Instant, Long> perMinuteCount = new TreeMap<>();
    for (TelemetrySample s : samples) {
      devices.add(s.deviceId());
      inferences += s.inferences();
      labelled += s.labelled();
      correct += s.correct();
      reference += s.reference();
      agreement += s.agreement();
      errors += s.errors();
      if (last == null || s.windowEnd().isAfter(last)) {
        last = s.windowEnd();
      }
      Instant minute = s.windowEnd().truncatedTo(ChronoUnit.MINUTES);
      perMinuteCount.merge(minute, s.inferences(), Long::sum);
      if (s.histogram() != null) {
        anyHistogram = true;
        all.add(s.histogram());
        perMinute.computeIfAbsent(minute, m -> LatencyHistograms.empty()).add(s.histogram());
      }
    }
    List<TelemetryAggregate.Window> windows = new ArrayList<>();
    for (Map.Entry<Instant, Long> e : perMinuteCount.entrySet()) {
      Histogram h = perMinute.get(e.getKey());
      windows.add(new TelemetryAggregate.Window(e.getKey(), e.getValue(), percentile(h, 50), percentile(h, 95),
          percentile(h, 99)));
    }
    Histogram merged = anyHistogram ? all : null;
    return new TelemetryAggregate(buildKey, hardwareClass, devices.size(), samples.size(), inferences,
        percentile(merged, 50), percentile(merged, 95), percentile(merged, 99),
        merged == null || merged.getTotalCount() == 0 ? null : (double) merged.getMaxValue(),
        merged == null || merged.getTotalCount() == 0 ? null : merged.getMean(),
        labelled == 0 ? null : (double) correct / labelled, reference == 0 ? null : (double) agreement / reference,
        errors, last, windows, List.of());
  }

  private static Double percentile(Histogram h, double p) {
    if (h == null || h.getTotalCount() == 0) {
      return null;
    }
    return (double) h.getValueAtPercentile(p);
  }
}
