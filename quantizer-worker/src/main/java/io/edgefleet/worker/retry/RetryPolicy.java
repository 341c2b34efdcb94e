package io.edgefleet.worker.retry;

import io.edgefleet.worker.WorkerErrorCode;
import io.edgefleet.worker.WorkerException;
import java.time.Duration;

/**
 * Exponential backoff for transient infrastructure errors: the pause doubles from {@code initialBackoff} up to
 * {@code maxBackoff}; attempts stop once {@code maxElapsed} has passed since the first one.
 */
public record RetryPolicy(Duration initialBackoff, Duration maxBackoff, Duration maxElapsed) {

  public RetryPolicy {
    require(initialBackoff != null && initialBackoff.toMillis() >= 1, "initial backoff must be at least 1 ms");
    require(maxBackoff != null && maxBackoff.compareTo(initialBackoff) >= 0, "max backoff must be >= initial backoff");
    require(maxElapsed != null && !maxElapsed.isNegative(), "max elapsed must not be negative");
  }

  /** Pause before attempt {@code attempt} (2 = first retry): initial * 2^(attempt-2), capped at maxBackoff. */
  public Duration backoffBefore(int attempt) {
    if (attempt < 2) {
      return Duration.ZERO;
    }
    int doublings = Math.min(attempt - 2, 30);
    long millis = initialBackoff.toMillis() << doublings;
    return millis <= 0 || millis > maxBackoff.toMillis() ? maxBackoff : Duration.ofMillis(millis);
  }

  /** Whether another attempt may start after {@code elapsed} plus the coming pause. */
  public boolean mayRetry(Duration elapsed, Duration nextPause) {
    return elapsed.plus(nextPause).compareTo(maxElapsed) <= 0;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new WorkerException(WorkerErrorCode.INVALID_CONFIG, message);
    }
  }
}
