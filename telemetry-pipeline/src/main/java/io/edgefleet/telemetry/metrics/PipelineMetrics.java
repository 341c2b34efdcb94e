package io.edgefleet.telemetry.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counters and the end-to-end freshness histogram of the pipeline. Thread-safe: stream threads record, the HTTP API
 * reads.
 *
 * <p>Freshness is {@code now − record timestamp} taken when a batch has been applied to every store (where it becomes
 * queryable), in milliseconds.
 */
public final class PipelineMetrics {
  private final LongAdder received = new LongAdder();
  private final LongAdder accepted = new LongAdder();
  private final LongAdder replays = new LongAdder();
  private final LongAdder sequenceResets = new LongAdder();
  private final LongAdder lateWindowUpdates = new LongAdder();
  private final LongAdder dedupPurged = new LongAdder();
  private final Map<String, LongAdder> deadLettered = new ConcurrentHashMap<>();
  private final Recorder freshnessRecorder = new Recorder(3);
  private final Histogram freshness = new Histogram(3);
  private final Object freshnessLock = new Object();

  public PipelineMetrics() {
    freshness.setAutoResize(true);
  }

  public void recordReceived() {
    received.increment();
  }

  /** A batch was applied to the stores, {@code freshnessMillis} after its record timestamp. */
  public void recordAccepted(long freshnessMillis) {
    accepted.increment();
    freshnessRecorder.recordValue(Math.max(0, freshnessMillis));
  }

  public void recordReplay() {
    replays.increment();
  }

  public void recordSequenceReset() {
    sequenceResets.increment();
  }

  /** A batch arrived after its window's grace period: it counted in totals but not in windows. */
  public void recordLateWindowUpdate() {
    lateWindowUpdates.increment();
  }

  public void recordDeadLetter(String reasonKey) {
    deadLettered.computeIfAbsent(reasonKey, k -> new LongAdder()).increment();
  }

  public void recordDedupPurged(long n) {
    dedupPurged.add(n);
  }

  public long received() {
    return received.sum();
  }

  public long accepted() {
    return accepted.sum();
  }

  public long replaysDropped() {
    return replays.sum();
  }

  public long sequenceResets() {
    return sequenceResets.sum();
  }

  public long lateWindowUpdates() {
    return lateWindowUpdates.sum();
  }

  public long dedupPurged() {
    return dedupPurged.sum();
  }

  /** Dead-lettered records by reason key, sorted. */
  public Map<String, Long> deadLettered() {
    Map<String, Long> m = new TreeMap<>();
    deadLettered.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }

  public long deadLetteredTotal() {
    return deadLettered.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** A copy of the cumulative freshness histogram (ms) since start. */
  public Histogram freshnessSnapshot() {
    synchronized (freshnessLock) {
      freshness.add(freshnessRecorder.getIntervalHistogram());
      return freshness.copy();
    }
  }
}
