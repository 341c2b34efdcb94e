package io.edgefleet.worker.jobs;

import io.edgefleet.schemas.events.BuildFailed;
import io.edgefleet.schemas.events.BuildRequested;
import io.edgefleet.worker.WorkerErrorCode;
import io.edgefleet.worker.WorkerException;
import java.time.Clock;
import java.time.Duration;
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
 * Runs {@link BuildJob}s under the build timeout and maps every failure to a {@link BuildOutcome.Failed}: a build
 * request always ends in exactly one result event. Only an interrupt (worker shutdown) escapes, so that the record is
 * neither answered nor committed and is redelivered.
 */
public final class BuildRunner implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(BuildRunner.class.getName());

  private final BuildJob job;
  private final Duration timeout;
  private final String workerId;
  private final WorkerStats stats;
  private final Clock clock;
  private final ExecutorService executor;

  public BuildRunner(BuildJob job, Duration timeout, String workerId, WorkerStats stats, Clock clock) {
    this.job = job;
    this.timeout = timeout;
    this.workerId = workerId;
    this.stats = stats;
    this.clock = clock;
    AtomicInteger n = new AtomicInteger();
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "build-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** Builds (or re-answers) {@code request}; never throws for a failed build. */
  public BuildOutcome run(BuildRequested request) throws InterruptedException {
    LOG.info("build " + request.buildKey() + " requested: model " + request.modelSha256() + ", mode " + request.plan().mode());
    Future<BuildOutcome.Completed> future = executor.submit(() -> job.execute(request));
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // TFLite native calls cannot be interrupted: the abandoned thread finishes on its own; its objects are
      // content-addressed and a manifest it may still write describes a valid build.
      future.cancel(true);
      return failed(
          request,
          new WorkerException(WorkerErrorCode.BUILD_TIMEOUT, "build did not finish within " + timeout, e));
    } catch (ExecutionException e) {
      return failed(request, e.getCause() == null ? e : e.getCause());
    } catch (InterruptedException e) {
      future.cancel(true);
      throw e;
    }
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
    executor.shutdownNow();
  }
}
