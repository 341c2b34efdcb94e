package io.edgefleet.worker.jobs;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of one worker process (thread-safe). */
public final class WorkerStats {
  private final AtomicLong builds = new AtomicLong();
  private final AtomicLong reused = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong analyses = new AtomicLong();
  private final AtomicLong analysesReused = new AtomicLong();
  private final AtomicLong analysesFailed = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final AtomicLong storageRetries = new AtomicLong();

  /** Builds actually executed to completion (quantized, evaluated, stored). */
  public long builds() {
    return builds.get();
  }

  /** Requests answered from an existing build manifest without rebuilding. */
  public long reused() {
    return reused.get();
  }

  /** Requests answered with BuildFailed. */
  public long failed() {
    return failed.get();
  }

  /** Model analyses actually measured and stored. */
  public long analyses() {
    return analyses.get();
  }

  /** Analysis requests answered from a stored analysis without measuring again. */
  public long analysesReused() {
    return analysesReused.get();
  }

  /** Analysis requests answered with AnalysisFailed. */
  public long analysesFailed() {
    return analysesFailed.get();
  }

  /** Records routed to the dead-letter topic. */
  public long deadLettered() {
    return deadLettered.get();
  }

  /** Repeated storage operations after transient errors. */
  public long storageRetries() {
    return storageRetries.get();
  }

  /** Counts one retried storage operation. */
  public void recordStorageRetry() {
    storageRetries.incrementAndGet();
  }

  void recordBuild() {
    builds.incrementAndGet();
  }

  void recordReuse() {
    reused.incrementAndGet();
  }

  void recordFailure() {
    failed.incrementAndGet();
  }

  /** Counts one measured and stored analysis. */
  public void recordAnalysis() {
    analyses.incrementAndGet();
  }

  /** Counts one analysis answered from storage. */
  public void recordAnalysisReuse() {
    analysesReused.incrementAndGet();
  }

  /** Counts one failed analysis. */
  public void recordAnalysisFailure() {
    analysesFailed.incrementAndGet();
  }

  /** Counts one dead-lettered record. */
  public void recordDeadLetter() {
    deadLettered.incrementAndGet();
  }

  @Override
  public String toString() {
    return "WorkerStats[builds=" + builds() + ", reused=" + reused() + ", failed=" + failed() + ", analyses="
        + analyses() + ", analysesReused=" + analysesReused() + ", analysesFailed=" + analysesFailed()
        + ", deadLettered=" + deadLettered() + ", storageRetries=" + storageRetries() + "]";
  }
}
