package io.edgefleet.telemetry.aggregate;

import io.edgefleet.telemetry.api.AggregateSnapshot;
import java.time.Instant;
import java.util.Objects;
import org.HdrHistogram.Histogram;

/**
 * Mergeable aggregate of telemetry batches: sums of counts, the union of all latency histograms (so percentiles are
 * those of every inference measured, not averages of percentiles) and the distinct devices. {@link #add} folds in one
 * batch, {@link #merge} another aggregate (e.g. the same key on another partition, or another hardware class).
 *
 * <p>Mutable and not thread-safe: each state-store read yields a fresh instance.
 */
public final class TelemetryAggregate {
  private long batches;
  private long inferences;
  private long labelled;
  private long correct;
  private long reference;
  private long agreement;
  private long errors;
  private long firstWindowStartMillis = Long.MAX_VALUE;
  private long lastWindowEndMillis = Long.MIN_VALUE;
  private final LatencyCounts histogram;
  private final DistinctDevices devices;

  private TelemetryAggregate(LatencyCounts histogram, DistinctDevices devices) {
    this.histogram = histogram;
    this.devices = devices;
  }

  /** An aggregate of nothing. */
  public static TelemetryAggregate empty() {
    return new TelemetryAggregate(LatencyCounts.empty(), DistinctDevices.empty());
  }

  static TelemetryAggregate restore(
      long batches, long inferences, long labelled, long correct, long reference, long agreement, long errors,
      long firstWindowStartMillis, long lastWindowEndMillis, LatencyCounts histogram, DistinctDevices devices) {
    TelemetryAggregate a = new TelemetryAggregate(histogram, devices);
    a.batches = batches;
    a.inferences = inferences;
    a.labelled = labelled;
    a.correct = correct;
    a.reference = reference;
    a.agreement = agreement;
    a.errors = errors;
    a.firstWindowStartMillis = firstWindowStartMillis;
    a.lastWindowEndMillis = lastWindowEndMillis;
    return a;
  }

  /** Folds in one batch; returns this. */
  public TelemetryAggregate add(TelemetryObservation o) {
    batches++;
    inferences += o.inferences();
    labelled += o.labelled();
    correct += o.correct();
    reference += o.reference();
    agreement += o.agreement();
    errors += o.errors();
    firstWindowStartMillis = Math.min(firstWindowStartMillis, o.windowStartMillis());
    lastWindowEndMillis = Math.max(lastWindowEndMillis, o.windowEndMillis());
    if (o.histogram() != null) {
      o.histogram().addTo(histogram);
    }
    devices.add(o.deviceId());
    return this;
  }

  /** Folds in another aggregate (union); returns this. */
  public TelemetryAggregate merge(TelemetryAggregate other) {
    Objects.requireNonNull(other, "other");
    batches += other.batches;
    inferences += other.inferences;
    labelled += other.labelled;
    correct += other.correct;
    reference += other.reference;
    agreement += other.agreement;
    errors += other.errors;
    firstWindowStartMillis = Math.min(firstWindowStartMillis, other.firstWindowStartMillis);
    lastWindowEndMillis = Math.max(lastWindowEndMillis, other.lastWindowEndMillis);
    histogram.add(other.histogram);
    devices.merge(other.devices);
    return this;
  }

  /** A deep copy. */
  public TelemetryAggregate copy() {
    return restore(batches, inferences, labelled, correct, reference, agreement, errors, firstWindowStartMillis,
        lastWindowEndMillis, histogram.copy(), devices.copy());
  }

  /**
   * The read view.
   *
   * @param spanMillis throughput denominator; {@code <= 0} means "from firstWindowStart to lastWindowEnd"
   */
  public AggregateSnapshot snapshot(long spanMillis) {
    boolean anyLatency = histogram.totalCount() > 0;
    Histogram histogram = anyLatency ? this.histogram.toHistogram() : null;
    long span = spanMillis > 0 ? spanMillis
        : batches == 0 ? 0 : lastWindowEndMillis - firstWindowStartMillis;
    return new AggregateSnapshot(
        batches,
        inferences,
        span > 0 ? inferences * 1000.0 / span : null,
        anyLatency ? (double) histogram.getValueAtPercentile(50) : null,
        anyLatency ? (double) histogram.getValueAtPercentile(95) : null,
        anyLatency ? (double) histogram.getValueAtPercentile(99) : null,
        anyLatency ? (double) histogram.getMaxValue() : null,
        anyLatency ? histogram.getMean() : null,
        labelled,
        correct,
        labelled == 0 ? null : (double) correct / labelled,
        reference,
        agreement,
        reference == 0 ? null : (double) agreement / reference,
        errors,
        devices.count(),
        devices.isExact(),
        batches == 0 ? null : Instant.ofEpochMilli(firstWindowStartMillis),
        batches == 0 ? null : Instant.ofEpochMilli(lastWindowEndMillis));
  }

  public long batches() {
    return batches;
  }

  public long inferences() {
    return inferences;
  }

  public long labelled() {
    return labelled;
  }

  public long correct() {
    return correct;
  }

  public long reference() {
    return reference;
  }

  public long agreement() {
    return agreement;
  }

  public long errors() {
    return errors;
  }

  public long firstWindowStartMillis() {
    return firstWindowStartMillis;
  }

  public long lastWindowEndMillis() {
    return lastWindowEndMillis;
  }

  /** The merged latency histogram (µs), as a new HdrHistogram (changing it does not change this aggregate). */
  public Histogram histogram() {
    return histogram.toHistogram();
  }

  /** The merged latency histogram (µs) in its internal form; do not modify. */
  LatencyCounts latencyCounts() {
    return histogram;
  }

  /** The distinct devices; do not modify. */
  public DistinctDevices devices() {
    return devices;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof TelemetryAggregate)) {
      return false;
    }
    TelemetryAggregate a = (TelemetryAggregate) o;
    return batches == a.batches && inferences == a.inferences && labelled == a.labelled && correct == a.correct
        && reference == a.reference && agreement == a.agreement && errors == a.errors
        && firstWindowStartMillis == a.firstWindowStartMillis && lastWindowEndMillis == a.lastWindowEndMillis
        && histogram.equals(a.histogram) && devices.equals(a.devices);
  }

  @Override
  public int hashCode() {
    return Objects.hash(batches, inferences, labelled, correct, reference, agreement, errors, firstWindowStartMillis,
        lastWindowEndMillis, histogram.totalCount(), devices.count());
  }

  @Override
  public String toString() {
    return "TelemetryAggregate{batches=" + batches + ", inferences=" + inferences + ", latencySamples="
        + histogram.totalCount() + ", devices=" + devices.count() + "}";
  }
}
