package io.edgefleet.worker.analysis;

import io.edgefleet.schemas.events.AnalysisFailed;
import io.edgefleet.schemas.events.AnalysisRequested;
import io.edgefleet.worker.WorkerErrorCode;
import io.edgefleet.worker.WorkerException;
import io.edgefleet.worker.jobs.FailureMapping;
import io.edgefleet.worker.jobs.WorkerStats;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
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
  private final Duration timeout;
  private final String workerId;
  private final WorkerStats stats;
  private final Clock clock;
  private final ExecutorService executor;

  public AnalysisRunner(AnalysisJob job, Duration timeout, String workerId, WorkerStats stats, Clock clock) {
    this.job = job;
    this.timeout = timeout;
    this.workerId = workerId;
    this.stats = stats;
    this.clock = clock;
    AtomicInteger n = new AtomicInteger();
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "analysis-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** Analyses (or re-answers) {@code request}; never throws for a failed analysis. */
  public AnalysisOutcome run(AnalysisRequested request) throws InterruptedException {
    LOG.info("analysis of model " + request.modelSha256() + " (" + request.modelId() + ") requested");
    Future<AnalysisOutcome.Completed> future = executor.submit(() -> job.execute(request));
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // TFLite native calls cannot be interrupted: the abandoned thread finishes on its own; an analysis object it may
      // still store is a valid analysis of the same model.
      future.cancel(true);
      return failed(
          request,
          new WorkerException(WorkerErrorCode.ANALYSIS_TIMEOUT, "analysis did not finish within " + timeout, e));
    } catch (ExecutionException e) {
      return failed(request, e.getCause() == null ? e : e.getCause());
    } catch (InterruptedException e) {
      future.cancel(true);
      throw e;
    }
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
    executor.shutdownNow();
  }
}
