package io.edgefleet.controlplane.rollouts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Collects rollout ids to evaluate and hands them to the evaluation once per {@code delay}, each id once however
 * often it was requested in between.
 */
final class EvaluationCoalescer {
  private static final Logger LOG = Logger.getLogger(EvaluationCoalescer.class);

  private final ScheduledExecutorService executor;
  private final long delayMillis;
  private final Consumer<List<String>> evaluate;
  private final Set<String> pending = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();

  EvaluationCoalescer(ScheduledExecutorService executor, Duration delay, Consumer<List<String>> evaluate) {
    this.executor = executor;
    this.delayMillis = delay.toMillis();
    this.evaluate = evaluate;
  }

  void request(Collection<String> rolloutIds) {
    if (rolloutIds.isEmpty()) {
      return;
    }
    pending.addAll(rolloutIds);
    if (drainScheduled.compareAndSet(false, true)) {
      executor.schedule(this::drain, delayMillis, TimeUnit.MILLISECONDS);
    }
  }

  /** Evaluates every pending id once, in id order; never throws (it runs on the scheduler's thread). */
  void drain() {
    // reset first: a request arriving from here on schedules the next drain
    drainScheduled.set(false);
    List<String> ids = new ArrayList<>();
    for (String id : pending) {
      if (pending.remove(id)) {
        ids.add(id);
      }
    }
    if (ids.isEmpty()) {
      return;
    }
    try {
      evaluate.accept(ids.stream().sorted().toList());
    } catch (RuntimeException e) {
      LOG.warnf(e, "event-driven rollout evaluation failed; the periodic evaluation retries it");
    }
  }
}
