package io.edgefleet.worker.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefleet.worker.WorkerErrorCode;
import io.edgefleet.worker.WorkerException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  @Test
  void shouldDoubleTheBackoffUpToTheCap() {
    RetryPolicy p = new RetryPolicy(Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(2));

    assertThat(p.backoffBefore(1)).isZero();
    assertThat(p.backoffBefore(2)).isEqualTo(Duration.ofMillis(500));
    assertThat(p.backoffBefore(3)).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.backoffBefore(4)).isEqualTo(Duration.ofSeconds(2));
    assertThat(p.backoffBefore(8)).isEqualTo(Duration.ofSeconds(30));
    assertThat(p.backoffBefore(60)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void shouldStopRetryingWhenTheBudgetIsSpent() {
    RetryPolicy p = new RetryPolicy(Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(2));

    assertThat(p.mayRetry(Duration.ofSeconds(60), Duration.ofSeconds(30))).isTrue();
    assertThat(p.mayRetry(Duration.ofSeconds(100), Duration.ofSeconds(30))).isFalse();
  }

  @Test
  void shouldRetryTransientErrorsAndPassOthersThrough() {
    Retrier retrier = new Retrier(new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofSeconds(5)));
    AtomicInteger calls = new AtomicInteger();

    String result =
        retrier.call(
            "flaky",
            () -> {
              if (calls.incrementAndGet() < 3) {
                throw new WorkerException(WorkerErrorCode.STORAGE_UNAVAILABLE, "connection refused");
              }
              return "ok";
            });

    assertThat(result).isEqualTo("ok");
    assertThat(calls).hasValue(3);

    AtomicInteger fatalCalls = new AtomicInteger();
    assertThatThrownBy(
            () ->
                retrier.call(
                    "fatal",
                    () -> {
                      fatalCalls.incrementAndGet();
                      throw new WorkerException(WorkerErrorCode.INPUT_MISSING, "no such object");
                    }))
        .isInstanceOfSatisfying(WorkerException.class, e -> assertThat(e.code()).isEqualTo(WorkerErrorCode.INPUT_MISSING));
    assertThat(fatalCalls).hasValue(1);
  }

  @Test
  void shouldRethrowTheTransientErrorWhenTheBudgetIsSpent() {
    Retrier retrier = new Retrier(new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(1), Duration.ZERO));
    AtomicInteger calls = new AtomicInteger();

    assertThatThrownBy(
            () ->
                retrier.call(
                    "down",
                    () -> {
                      calls.incrementAndGet();
                      throw new WorkerException(WorkerErrorCode.STORAGE_UNAVAILABLE, "down");
                    }))
        .isInstanceOfSatisfying(
            WorkerException.class, e -> assertThat(e.code()).isEqualTo(WorkerErrorCode.STORAGE_UNAVAILABLE));
    assertThat(calls).hasValue(1);
  }
}
