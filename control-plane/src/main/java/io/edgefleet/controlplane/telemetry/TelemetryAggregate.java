package io.edgefleet.controlplane.telemetry;

import java.time.Instant;
import java.util.List;

/**
 * Aggregated telemetry of one build (or one build × hardware class). Percentiles come from the merged histograms of
 * all batches, never from averaging per-batch percentiles; they are null when no batch carried a histogram.
 *
 * @param top1Accuracy Σcorrect / Σlabelled, null without labelled inferences
 * @param agreementWithFloat Σagreement / Σreference, null without reference outputs
 * @param windows per-minute percentiles (minute of the batch window end), oldest first
 * @param byHardwareClass the same aggregate per hardware class (empty inside a per-class aggregate)
 */
public record TelemetryAggregate(
    String buildKey,
    String hardwareClass,
    int devices,
    long batches,
    long inferences,
    Double p50Micros,
    Double p95Micros,
    Double p99Micros,
    Double maxMicros,
    Double meanMicros,
    Double top1Accuracy,
    Double agreementWithFloat,
    long errorCount,
    Instant lastReportAt,
    List<Window> windows,
    List<TelemetryAggregate> byHardwareClass) {

  public TelemetryAggregate {
    windows = List.copyOf(windows);
    byHardwareClass = byHardwareClass == null ? List.of() : List.copyOf(byHardwareClass);
  }

  /** This aggregate with per-class breakdowns attached. */
  public TelemetryAggregate withClasses(List<TelemetryAggregate> classes) {
    return new TelemetryAggregate(buildKey, hardwareClass, devices, batches, inferences, p50Micros, p95Micros,
        p99Micros, maxMicros, meanMicros, top1Accuracy, agreementWithFloat, errorCount, lastReportAt, windows, classes);
  }

  /** Percentiles of the batches whose window ended in one minute. */
  public record Window(Instant minute, long inferences, Double p50Micros, Double p95Micros, Double p99Micros) {}
}
