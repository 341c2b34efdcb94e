package io.edgefleet.worker.analysis;

import io.edgefleet.schemas.events.AnalysisFailed;
import io.edgefleet.schemas.events.AnalysisRequested;
import io.edgefleet.worker.WorkerErrorCode;
import io.edgefleet.worker.jobs.FailureMapping;
import io.edgefleet.worker.jobs.TimeLimitedExecutor;
import io.edgefleet.worker.jobs.WorkerStats;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs {@link AnalysisJob}s under the analysis timeout and maps every failure to an {@link AnalysisOutcome.Failed}: an
 * analysis request always ends in exactly one result event. Only an interrupt (worker shutdown) escapes, so that the
 * record is neither answered nor committed and is redelivered.
 */
public final class AnalysisRunner implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(AnalysisRunner.class.getName());

  private final AnalysisJob job;
  private final String workerId;
  private final WorkerStats stats;
  private final Clock clock;
  private final TimeLimitedExecutor executor;

  public AnalysisRunner(AnalysisJob job, Duration timeout, String workerId, WorkerStats stats, Clock clock) {
    this.job = job;
    this.workerId = workerId;
    this.stats = stats;
    this.clock = clock;
    this.executor = new TimeLimitedExecutor("analysis", timeout);
  }

  /** Analyses (or re-answers) {@code request}; never throws for a failed analysis. */
  public AnalysisOutcome run(AnalysisRequested request) throws InterruptedException {
    LOG.info("analysis of model " + request.modelSha256() + " (" + request.modelId() + ") requested");
    return executor.run(
        () -> job.execute(request), WorkerErrorCode.ANALYSIS_TIMEOUT, "analysis", error -> failed(request, error));
  }

  private AnalysisOutcome failed(AnalysisRequested request, Throwable error) {
    stats.recordAnalysisFailure();
    AnalysisFailed failed =
        FailureMapping.toAnalysisFailed(
            request.modelId(), request.modelSha256().toLowerCase(Locale.ROOT), error, workerId, clock.instant());
    if (FailureMapping.isExpected(error)) {
      LOG.warning("analysis of model " + request.modelSha256() + " failed: " + failed.errorCode() + " retriable="
          + failed.retriable() + ": " + failed.message());
    } else {
      LOG.log(Level.SEVERE, "analysis of model " + request.modelSha256() + " failed with an unexpected error", error);
    }
    return new AnalysisOutcome.Failed(failed);
  }

  @Override
  public void close() {
    executor.close();
  }
}
