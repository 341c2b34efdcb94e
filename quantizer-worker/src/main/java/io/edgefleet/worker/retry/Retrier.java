package io.edgefleet.worker.retry;

import io.edgefleet.worker.WorkerErrorCode;
import io.edgefleet.worker.WorkerException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs an operation, repeating it under a {@link RetryPolicy} while it fails with a {@linkplain
 * WorkerException#isTransient() transient} {@link WorkerException}. Any other exception passes through at once; when the
 * policy's time budget is spent, the last transient exception is rethrown.
 */
public final class Retrier {
  private static final Logger LOG = Logger.getLogger(Retrier.class.getName());

  private final RetryPolicy policy;
  private final Runnable onRetry;

  public Retrier(RetryPolicy policy) {
    this(policy, () -> {});
  }

  /** A retrier that calls {@code onRetry} before every repeated attempt (e.g. to count retries). */
  public Retrier(RetryPolicy policy, Runnable onRetry) {
    this.policy = policy;
    this.onRetry = onRetry;
  }

  /** Runs {@code operation}, named {@code what} in logs. */
  public <T> T call(String what, Callable<T> operation) {
    long start = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      try {
        return operation.call();
      } catch (WorkerException e) {
        if (!e.isTransient()) {
          throw e;
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        Duration pause = policy.backoffBefore(attempt + 1);
        if (!policy.mayRetry(elapsed, pause)) {
          LOG.log(Level.WARNING, what + " failed " + attempt + " time(s) in " + elapsed.toMillis() + " ms, giving up", e);
          throw e;
        }
        LOG.warning(what + " failed (attempt " + attempt + "), retrying in " + pause.toMillis() + " ms: " + e.getMessage());
        sleep(pause, e);
        onRetry.run();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new WorkerException(WorkerErrorCode.INTERNAL_ERROR, what + " failed: " + e, e);
      }
    }
  }

  /** Runs {@code operation} without a result. */
  public void run(String what, ThrowingRunnable operation) {
    call(
        what,
        () -> {
          operation.run();
          return null;
        });
  }

  private static void sleep(Duration pause, WorkerException cause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      WorkerException e = new WorkerException(cause.code(), "interrupted while waiting to retry", ie);
      e.addSuppressed(cause);
      throw e;
    }
  }

  /** An operation without a result that may throw. */
  @FunctionalInterface
  public interface ThrowingRunnable {
    void run() throws Exception;
  }
}
