package io.edgefleet.controlplane.rollouts;

import io.edgefleet.controlplane.config.EdgefleetConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import io.edgefleet.controlplane.devices.DeviceRegisteredEvent;
import jakarta.enterprise.event.TransactionPhase;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * When rollouts are evaluated (late devices, thresholds, gates, group advance):
 *
 * <ul>
 *   <li>every {@code edgefleet.rollouts.evaluation-interval}, each running or paused rollout, so gates hold even when
 *       no event arrives;
 *   <li>soon after an event touched a rollout ({@link #requestEvaluation}): requests arriving within
 *       {@code edgefleet.rollouts.event-evaluation-delay} are coalesced into one evaluation per rollout, so a burst of
 *       N device events costs one evaluation, not N (each evaluation reads all of the rollout's devices).
 * </ul>
 *
 * Both run on one thread, so a rollout is never evaluated twice at the same time by this instance.
 */
@ApplicationScoped
public class RolloutScheduler {
  private static final Logger LOG = Logger.getLogger(RolloutScheduler.class);

  private final RolloutService rollouts;
  private final EdgefleetConfig config;
  private volatile ScheduledExecutorService executor;
  private volatile EvaluationCoalescer coalescer;

  public RolloutScheduler(RolloutService rollouts, EdgefleetConfig config) {
    this.rollouts = rollouts;
    this.config = config;
  }

  void onStart(@Observes StartupEvent e) {
    long millis = config.rollouts().evaluationInterval().toMillis();
    executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "rollout-evaluator");
      t.setDaemon(true);
      return t;
    });
    executor.scheduleWithFixedDelay(this::tick, millis, millis, TimeUnit.MILLISECONDS);
    coalescer = new EvaluationCoalescer(executor, config.rollouts().eventEvaluationDelay(), rollouts::evaluateQuietly);
    LOG.infof("rollout evaluation every %d ms", millis);
  }

  /** Devices registering (or re-registering) join the active dynamic rollouts they now match. */
  void onDeviceRegistered(@Observes(during = TransactionPhase.AFTER_SUCCESS) DeviceRegisteredEvent e) {
    try {
      requestEvaluation(QuarkusTransaction.requiringNew().call(rollouts::activeDynamicIds));
    } catch (RuntimeException ex) {
      LOG.warnf(ex, "enrolling device %s in dynamic rollouts failed; the periodic evaluation retries it",
          e.deviceId());
    }
  }

  /** Evaluates these rollouts shortly, once for every request that arrives within the coalescing delay. */
  public void requestEvaluation(Collection<String> rolloutIds) {
    EvaluationCoalescer c = coalescer;
    if (c == null) {
      // not started yet: evaluate now rather than lose the request
      rollouts.evaluateQuietly(rolloutIds);
      return;
    }
    c.request(rolloutIds);
  }

  void onStop(@Observes ShutdownEvent e) {
    if (executor != null) {
      executor.shutdownNow();
    }
  }

  /** One evaluation round; must never throw (a throwing task would cancel the schedule). */
  void tick() {
    try {
      for (String due : QuarkusTransaction.requiringNew().call(rollouts::dueIds)) {
        try {
          rollouts.startIfDue(due);
        } catch (RuntimeException e) {
          LOG.warnf(e, "scheduled start of rollout %s failed; retrying at the next tick", due);
        }
      }
      List<String> ids = QuarkusTransaction.requiringNew().call(rollouts::activeIds);
      rollouts.evaluateQuietly(ids);
    } catch (RuntimeException e) {
      LOG.warnf(e, "periodic rollout evaluation failed; retrying at the next tick");
    }
  }
}
