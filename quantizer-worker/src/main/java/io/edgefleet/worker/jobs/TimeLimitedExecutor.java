package io.edgefleet.worker.jobs;

import io.edgefleet.worker.WorkerErrorCode;
import io.edgefleet.worker.WorkerException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs one job at a time on its own daemon thread under a wall-time limit, turning every failure of the job (its
 * exception, or a {@link WorkerException} for the timeout) into a value through the caller's mapping. Only an
 * interrupt of the calling thread (worker shutdown) escapes.
 *
 * <p>TFLite native calls cannot be interrupted: a job that times out is abandoned and finishes on its own thread.
 * That is safe because every object a job writes is content-addressed (a late write describes a valid result).
 */
public final class TimeLimitedExecutor implements AutoCloseable {
  private final Duration timeout;
  private final ExecutorService executor;

  /** @param threadPrefix names the job threads {@code <prefix>-1}, {@code <prefix>-2}, … */
  public TimeLimitedExecutor(String threadPrefix, Duration timeout) {
    this.timeout = timeout;
    AtomicInteger n = new AtomicInteger();
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, threadPrefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Runs {@code job}; returns its result, or {@code onFailure} of what went wrong.
   *
   * @param timeoutCode the error code of the timeout failure
   * @param what names the job in the timeout message ("build", "analysis")
   * @throws InterruptedException when the calling thread is interrupted (the job is cancelled)
   */
  public <T> T run(Callable<? extends T> job, WorkerErrorCode timeoutCode, String what,
      Function<Throwable, T> onFailure) throws InterruptedException {
    Future<? extends T> future = executor.submit(job);
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      return onFailure.apply(new WorkerException(timeoutCode, what + " did not finish within " + timeout, e));
    } catch (ExecutionException e) {
      return onFailure.apply(e.getCause() == null ? e : e.getCause());
    } catch (InterruptedException e) {
      future.cancel(true);
      throw e;
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
