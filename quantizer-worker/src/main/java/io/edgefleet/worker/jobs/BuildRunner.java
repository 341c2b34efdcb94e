package io.edgefleet.worker.jobs;

import io.edgefleet.schemas.events.BuildFailed;
import io.edgefleet.schemas.events.BuildRequested;
import io.edgefleet.worker.WorkerErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs {@link BuildJob}s under the build timeout and maps every failure to a {@link BuildOutcome.Failed}: a build
 * request always ends in exactly one result event. Only an interrupt (worker shutdown) escapes, so that the record is
 * neither answered nor committed and is redelivered.
 */
public final class BuildRunner implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(BuildRunner.class.getName());

  private final BuildJob job;
  private final String workerId;
  private final WorkerStats stats;
  private final Clock clock;
  private final TimeLimitedExecutor executor;

  public BuildRunner(BuildJob job, Duration timeout, String workerId, WorkerStats stats, Clock clock) {
    this.job = job;
    this.workerId = workerId;
    this.stats = stats;
    this.clock = clock;
    this.executor = new TimeLimitedExecutor("build", timeout);
  }

  /** Builds (or re-answers) {@code request}; never throws for a failed build. */
  public BuildOutcome run(BuildRequested request) throws InterruptedException {
    LOG.info("build " + request.buildKey() + " requested: model " + request.modelSha256() + ", mode " + request.plan().mode());
    return executor.run(
        () -> job.execute(request), WorkerErrorCode.BUILD_TIMEOUT, "build", error -> failed(request, error));
  }

  private BuildOutcome failed(BuildRequested request, Throwable error) {
    stats.recordFailure();
    BuildFailed failed = FailureMapping.toBuildFailed(request.buildKey(), error, workerId, clock.instant());
    if (FailureMapping.isExpected(error)) {
      LOG.warning("build " + request.buildKey() + " failed: " + failed.errorCode() + " retriable=" + failed.retriable()
          + ": " + failed.message());
    } else {
      LOG.log(Level.SEVERE, "build " + request.buildKey() + " failed with an unexpected error", error);
    }
    return new BuildOutcome.Failed(failed);
  }

  @Override
  public void close() {
    executor.close();
  }
}
