package io.edgefleet.controlplane.rollouts;

import io.edgefleet.controlplane.config.EdgefleetConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Time-based rollout evaluation: every {@code edgefleet.rollouts.evaluation-interval} each running or paused rollout
 * is evaluated (late devices, thresholds, gates, group advance), so gates hold even when no event arrives.
 */
@ApplicationScoped
public class RolloutScheduler {
  private static final Logger LOG = Logger.getLogger(RolloutScheduler.class);

  private final RolloutService rollouts;
  private final EdgefleetConfig config;
  private ScheduledExecutorService executor;

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
    LOG.infof("rollout evaluation every %d ms", millis);
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
