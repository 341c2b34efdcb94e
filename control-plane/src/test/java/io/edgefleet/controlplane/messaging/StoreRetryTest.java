package io.edgefleet.controlplane.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;

class StoreRetryTest {
  private final AtomicLong now = new AtomicLong();
  private final List<Duration> pauses = new ArrayList<>();
  private final StoreRetry retry = new StoreRetry(Duration.ofSeconds(30), Duration.ofSeconds(5), now::get, d -> {
    pauses.add(d);
    now.addAndGet(d.toNanos());
  });

  private static RuntimeException connectionRefused() {
    // what a transaction sees while PostgreSQL is stopped: the driver's 08001 wrapped by the ORM and the transaction
    return new IllegalStateException("transaction failed",
        new JDBCConnectionException("Unable to acquire JDBC Connection",
            new SQLException("Connection to 127.0.0.1:5432 refused", "08001")));
  }

  @Test
  void shouldRetryWhileTheDatabaseIsUnreachableAndThenSucceed() {
    AtomicInteger calls = new AtomicInteger();

    String result = retry.call("record t[0]@1", () -> {
      if (calls.incrementAndGet() < 4) {
        throw connectionRefused();
      }
      return "stored";
    });

    assertThat(result).isEqualTo("stored");
    assertThat(calls).hasValue(4);
    assertThat(pauses).containsExactly(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800));
  }

  @Test
  void shouldCapTheBackoffAndGiveUpAfterTheRetryWindow() {
    AtomicInteger calls = new AtomicInteger();

    assertThatThrownBy(() -> retry.call("record t[0]@1", () -> {
      calls.incrementAndGet();
      throw connectionRefused();
    })).isInstanceOf(StoreRetry.StoreUnavailableException.class)
        .hasMessageContaining("record t[0]@1")
        .hasMessageContaining("unreachable for 3")
        .hasRootCauseInstanceOf(SQLException.class);

    assertThat(pauses).allSatisfy(p -> assertThat(p).isLessThanOrEqualTo(Duration.ofSeconds(5)));
    assertThat(pauses).contains(Duration.ofSeconds(5));
    assertThat(calls.get()).isEqualTo(pauses.size() + 1);
  }

  @Test
  void shouldNotRetryAFailureOfTheRecordItself() {
    AtomicInteger calls = new AtomicInteger();
    IllegalArgumentException bad = new IllegalArgumentException("unknown build");

    assertThatThrownBy(() -> retry.call("record", () -> {
      calls.incrementAndGet();
      throw bad;
    })).isSameAs(bad);

    assertThat(calls).hasValue(1);
    assertThat(pauses).isEmpty();
  }

  @Test
  void shouldTellAnUnreachableDatabaseFromBadData() {
    assertThat(StoreRetry.isStoreUnavailable(connectionRefused())).isTrue();
    assertThat(StoreRetry.isStoreUnavailable(new RuntimeException(new SQLException("terminating connection due to "
        + "administrator command", "57P01")))).as("server shutting down").isTrue();
    assertThat(StoreRetry.isStoreUnavailable(new RuntimeException(new SQLException("too many clients", "53300"))))
        .isTrue();
    assertThat(StoreRetry.isStoreUnavailable(new RuntimeException(new SQLException("could not serialize access",
        "40001")))).as("serialization failure").isTrue();
    assertThat(StoreRetry.isStoreUnavailable(new SQLException("Acquisition timeout while waiting for new connection")))
        .as("pool timeout").isTrue();

    assertThat(StoreRetry.isStoreUnavailable(new RuntimeException(new SQLException("duplicate key value", "23505"))))
        .as("unique violation").isFalse();
    assertThat(StoreRetry.isStoreUnavailable(new RuntimeException(new SQLException("value too long", "22001"))))
        .isFalse();
    assertThat(StoreRetry.isStoreUnavailable(new IllegalStateException("no such rollout"))).isFalse();
  }

  @Test
  void shouldStopRetryingWhenInterruptedAndLeaveTheRecordUnacknowledged() {
    StoreRetry interrupted = new StoreRetry(Duration.ofMinutes(5), Duration.ofSeconds(5), now::get, d -> {
      throw new InterruptedException("shutdown");
    });

    try {
      assertThatThrownBy(() -> interrupted.call("record", () -> {
        throw connectionRefused();
      })).isInstanceOf(IllegalStateException.class).isNotInstanceOf(StoreRetry.StoreUnavailableException.class)
          .hasMessageContaining("interrupted");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
