package io.edgefleet.worker.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefleet.worker.WorkerErrorCode;
import io.edgefleet.worker.WorkerException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class TimeLimitedExecutorTest {

  @Test
  void shouldReturnTheJobsResultOrMapItsFailure() throws Exception {
    try (TimeLimitedExecutor executor = new TimeLimitedExecutor("test", Duration.ofMinutes(1))) {
      assertThat(executor.run(() -> "done", WorkerErrorCode.BUILD_TIMEOUT, "build", e -> "failed")).isEqualTo("done");

      IllegalStateException boom = new IllegalStateException("boom");
      String mapped = executor.run(() -> {
        throw boom;
      }, WorkerErrorCode.BUILD_TIMEOUT, "build", e -> e == boom ? "mapped the job's own exception" : "other " + e);
      assertThat(mapped).isEqualTo("mapped the job's own exception");
    }
  }

  @Test
  void shouldMapATimeoutToTheGivenErrorCodeAndLeaveTheJobRunningOnItsOwnThread() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (TimeLimitedExecutor executor = new TimeLimitedExecutor("test", Duration.ofMillis(100))) {
      Throwable failure = executor.run(() -> {
        release.await();
        return null;
      }, WorkerErrorCode.ANALYSIS_TIMEOUT, "analysis", e -> e);

      assertThat(failure).isInstanceOf(WorkerException.class)
          .hasMessageContaining("analysis did not finish within PT0.1S");
      assertThat(((WorkerException) failure).code()).isEqualTo(WorkerErrorCode.ANALYSIS_TIMEOUT);
    } finally {
      release.countDown();
    }
  }
}
