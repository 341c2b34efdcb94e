package io.edgefleet.controlplane.rollouts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EvaluationCoalescerTest {
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
  private final List<List<String>> evaluations = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void shouldEvaluateEachRolloutOnceForABurstOfRequests() {
    EvaluationCoalescer c = new EvaluationCoalescer(executor, Duration.ofMillis(200), evaluations::add);

    for (int i = 0; i < 1000; i++) {
      c.request(List.of(i % 2 == 0 ? "r-b" : "r-a"));
    }
    c.request(List.of());

    await().atMost(Duration.ofSeconds(5)).until(() -> !evaluations.isEmpty());
    assertThat(evaluations.get(0)).containsExactly("r-a", "r-b");
    assertThat(evaluations).hasSize(1);
  }

  @Test
  void shouldEvaluateARequestArrivingAfterADrainInTheNextOne() {
    EvaluationCoalescer c = new EvaluationCoalescer(executor, Duration.ofMillis(50), evaluations::add);

    c.request(List.of("r-1"));
    await().atMost(Duration.ofSeconds(5)).until(() -> evaluations.size() == 1);
    c.request(List.of("r-1", "r-2"));

    await().atMost(Duration.ofSeconds(5)).until(() -> evaluations.size() == 2);
    assertThat(evaluations).containsExactly(List.of("r-1"), List.of("r-1", "r-2"));
  }

  @Test
  void shouldKeepCoalescingAfterAnEvaluationFails() {
    AtomicInteger calls = new AtomicInteger();
    EvaluationCoalescer c = new EvaluationCoalescer(executor, Duration.ofMillis(20), ids -> {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("database down");
      }
      evaluations.add(ids);
    });

    c.request(List.of("r-1"));
    await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() == 1);
    c.request(List.of("r-2"));

    await().atMost(Duration.ofSeconds(5)).until(() -> evaluations.size() == 1);
    assertThat(evaluations.get(0)).containsExactly("r-2");
  }
}
