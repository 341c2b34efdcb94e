package io.edgefleet.controlplane.messaging;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.hibernate.exception.JDBCConnectionException;
import org.jboss.logging.Logger;

/**
 * Retries the processing of a record while the database cannot be reached, so that a PostgreSQL restart delays
 * consumption instead of dead-lettering good records (the record stays unacknowledged and its partition waits; Kafka
 * keeps everything after it). Failures of the record itself are not retried: they go to the dead-letter topic at once.
 * After {@code retryFor} the store counts as down for good and the record is dead-lettered as
 * {@value #STORE_UNAVAILABLE}, from where it can be replayed.
 */
final class StoreRetry {
  private static final Logger LOG = Logger.getLogger(StoreRetry.class);
  static final String STORE_UNAVAILABLE = "event.store-unavailable";
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);

  /** Pauses the calling (worker) thread; a seam for tests. */
  interface Pause {
    void pause(Duration d) throws InterruptedException;
  }

  private final Duration retryFor;
  private final Duration maxBackoff;
  private final LongSupplier nanoClock;
  private final Pause pause;

  StoreRetry(Duration retryFor, Duration maxBackoff) {
    this(retryFor, maxBackoff, System::nanoTime, d -> TimeUnit.NANOSECONDS.sleep(d.toNanos()));
  }

  StoreRetry(Duration retryFor, Duration maxBackoff, LongSupplier nanoClock, Pause pause) {
    this.retryFor = retryFor;
    this.maxBackoff = maxBackoff;
    this.nanoClock = nanoClock;
    this.pause = pause;
  }

  /** The store stayed unreachable for the whole retry window; the record goes to the dead-letter topic. */
  static final class StoreUnavailableException extends RuntimeException {
    StoreUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Runs {@code work}, again and again while it fails because the database is unreachable.
   *
   * @throws StoreUnavailableException when the database stayed unreachable for the whole retry window
   * @throws RuntimeException any other failure of {@code work}, unchanged, at the first occurrence
   */
  <T> T call(String what, Callable<T> work) {
    long start = nanoClock.getAsLong();
    Duration backoff = FIRST_BACKOFF;
    for (int attempt = 1; ; attempt++) {
      try {
        T result = work.call();
        if (attempt > 1) {
          LOG.infof("%s succeeded at attempt %d, the database is reachable again", what, attempt);
        }
        return result;
      } catch (RuntimeException e) {
        if (!isStoreUnavailable(e)) {
          throw e;
        }
        Duration waited = Duration.ofNanos(nanoClock.getAsLong() - start);
        if (waited.compareTo(retryFor) >= 0) {
          throw new StoreUnavailableException(what + ": the database was unreachable for " + waited.toSeconds()
              + " s (" + attempt + " attempts)", e);
        }
        if (attempt == 1 || attempt % 10 == 0) {
          LOG.warnf("%s: the database is unreachable (%s); retrying for up to %s", what, rootMessage(e),
              retryFor.minus(waited));
        }
        pauseFor(backoff, e);
        backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
      } catch (Exception e) {
        throw new IllegalStateException(what + " failed", e);
      }
    }
  }

  private void pauseFor(Duration backoff, RuntimeException failure) {
    try {
      pause.pause(backoff);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      // shutting down: leave the record unacknowledged (it is consumed again after the restart)
      IllegalStateException stop = new IllegalStateException("interrupted while waiting for the database", failure);
      stop.addSuppressed(interrupted);
      throw stop;
    }
  }

  /**
   * Whether {@code failure} says the database could not be reached or could not serve the transaction right now
   * (connection refused or lost, server shutting down or out of connections, pool acquisition timeout, serialization
   * failure), rather than that something is wrong with the data.
   */
  static boolean isStoreUnavailable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLTransientException || t instanceof SQLRecoverableException
          || t instanceof JDBCConnectionException) {
        return true;
      }
      if (t instanceof SQLException sql) {
        String state = sql.getSQLState();
        if (state != null && (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53")
            || state.equals("40001") || state.equals("40P01"))) {
          return true;
        }
        // the connection pool's acquisition timeout carries no SQL state
        if (state == null && sql.getMessage() != null && sql.getMessage().contains("Acquisition timeout")) {
          return true;
        }
      }
    }
    return false;
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
