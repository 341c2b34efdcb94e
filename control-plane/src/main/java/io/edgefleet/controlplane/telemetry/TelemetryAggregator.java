package io.edgefleet.controlplane.telemetry;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/** Pure aggregation of telemetry: merged HdrHistograms for true percentiles, ratios of sums for accuracy. */
public final class TelemetryAggregator {
  private TelemetryAggregator() {}

  /** Aggregates individual batches (rolled up per class and minute first, exactly as ingestion does). */
  public static TelemetryAggregate aggregate(String buildKey, String hardwareClass, List<TelemetrySample> samples) {
    Set<String> devices = new HashSet<>();
    for (TelemetrySample s : samples) {
      devices.add(s.deviceId());
    }
    return fromMinutes(buildKey, hardwareClass, devices.size(), rollUp(samples));
  }

  /** Rolls batches up per hardware class and minute of their window end. */
  public static List<MinuteRollup> rollUp(List<TelemetrySample> samples) {
    Map<List<Object>, MinuteRollup> rollups = new LinkedHashMap<>();
    for (TelemetrySample s : samples) {
      String hc = s.hardwareClass() == null ? MinuteRollup.UNKNOWN_CLASS : s.hardwareClass();
      MinuteRollup one = new MinuteRollup(hc, s.windowEnd().truncatedTo(ChronoUnit.MINUTES), 1, s.inferences(),
          s.labelled(), s.correct(), s.reference(), s.agreement(), s.errors(), s.windowEnd(), s.histogram());
      rollups.merge(List.of(hc, one.minute()), one, TelemetryAggregator::merge);
    }
    return new ArrayList<>(rollups.values());
  }

  /** Two rollups of the same class and minute as one (histograms are copied, never modified). */
  public static MinuteRollup merge(MinuteRollup a, MinuteRollup b) {
    Histogram h = null;
    if (a.histogram() != null || b.histogram() != null) {
      h = LatencyHistograms.empty();
      if (a.histogram() != null) {
        h.add(a.histogram());
      }
      if (b.histogram() != null) {
        h.add(b.histogram());
      }
    }
    return new MinuteRollup(a.hardwareClass(), a.minute(), a.batches() + b.batches(), a.inferences() + b.inferences(),
        a.labelled() + b.labelled(), a.correct() + b.correct(), a.reference() + b.reference(),
        a.agreement() + b.agreement(), a.errors() + b.errors(), later(a.lastReportAt(), b.lastReportAt()), h);
  }

  /**
   * Aggregates minute rollups (of one class, or of several for the build overall).
   *
   * @param devices distinct devices behind the rollups (not derivable from sums)
   */
  public static TelemetryAggregate fromMinutes(String buildKey, String hardwareClass, int devices,
      List<MinuteRollup> minutes) {
    Histogram all = LatencyHistograms.empty();
    boolean anyHistogram = false;
    long batches = 0;
    long inferences = 0;
    long labelled = 0;
    long correct = 0;
    long reference = 0;
    long agreement = 0;
    long errors = 0;
    Instant last = null;
    Map<Instant, Histogram> perMinute = new TreeMap<>();
    Map<Instant, Long> perMinuteCount = new TreeMap<>();
    for (MinuteRollup m : minutes) {
      batches += m.batches();
      inferences += m.inferences();
      labelled += m.labelled();
      correct += m.correct();
      reference += m.reference();
      agreement += m.agreement();
      errors += m.errors();
      last = later(last, m.lastReportAt());
      perMinuteCount.merge(m.minute(), m.inferences(), Long::sum);
      if (m.histogram() != null) {
        anyHistogram = true;
        all.add(m.histogram());
        perMinute.computeIfAbsent(m.minute(), k -> LatencyHistograms.empty()).add(m.histogram());
      }
    }
    List<TelemetryAggregate.Window> windows = new ArrayList<>();
    for (Map.Entry<Instant, Long> e : perMinuteCount.entrySet()) {
      Histogram h = perMinute.get(e.getKey());
      windows.add(new TelemetryAggregate.Window(e.getKey(), e.getValue(), percentile(h, 50), percentile(h, 95),
          percentile(h, 99)));
    }
    Histogram merged = anyHistogram ? all : null;
    return new TelemetryAggregate(buildKey, hardwareClass, devices, batches, inferences,
        percentile(merged, 50), percentile(merged, 95), percentile(merged, 99),
        merged == null || merged.getTotalCount() == 0 ? null : (double) merged.getMaxValue(),
        merged == null || merged.getTotalCount() == 0 ? null : merged.getMean(),
        labelled == 0 ? null : (double) correct / labelled, reference == 0 ? null : (double) agreement / reference,
        errors, last, windows, List.of());
  }

  private static Instant later(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || !b.isAfter(a) ? a : b;
  }

  private static Double percentile(Histogram h, double p) {
    if (h == null || h.getTotalCount() == 0) {
      return null;
    }
    return (double) h.getValueAtPercentile(p);
  }
}
