package io.edgefleet.controlplane.messaging;

import io.edgefleet.controlplane.analysis.AnalysisService;
import io.edgefleet.controlplane.builds.Build;
import io.edgefleet.controlplane.builds.BuildService;
import io.edgefleet.controlplane.config.EdgefleetConfig;
import io.edgefleet.controlplane.errors.ControlPlaneException;
import io.edgefleet.controlplane.rollouts.RolloutScheduler;
import io.edgefleet.controlplane.rollouts.RolloutService;
import io.edgefleet.controlplane.telemetry.TelemetryService;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.schemas.codec.EventDecodingException;
import io.edgefleet.schemas.events.AnalysisCompleted;
import io.edgefleet.schemas.events.AnalysisEvent;
import io.edgefleet.schemas.events.AnalysisFailed;
import io.edgefleet.schemas.events.AnalysisRequested;
import io.edgefleet.schemas.events.BuildCompleted;
import io.edgefleet.schemas.events.BuildEvent;
import io.edgefleet.schemas.events.BuildFailed;
import io.edgefleet.schemas.events.BuildRequested;
import io.edgefleet.schemas.events.DeviceEvent;
import io.edgefleet.schemas.events.DeviceFeedback;
import io.edgefleet.schemas.events.InferenceTelemetry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Kafka consumers. Each record is decoded with {@link EventCodec} and processed in its own transaction. Poison
 * records — undecodable, of the wrong event family, or rejected by processing — are dead-lettered to
 * {@code <topic>.dlq} with the reason and the consumer carries on (channel failure strategy
 * {@code dead-letter-queue}). A database outage is not the record's fault: processing is retried until the database
 * is back ({@link StoreRetry}), so a PostgreSQL restart loses no telemetry.
 */
@ApplicationScoped
public class EventConsumers {
  private static final Logger LOG = Logger.getLogger(EventConsumers.class);
  static final String PROCESSING_FAILED = "event.processing-failed";

  private final EventCodec codec;
  private final BuildService builds;
  private final RolloutService rollouts;
  private final TelemetryService telemetry;
  private final AnalysisService analyses;
  private final StoreRetry storeRetry;
  private final RolloutScheduler evaluations;

  public EventConsumers(EventCodec codec, BuildService builds, RolloutService rollouts, TelemetryService telemetry,
      AnalysisService analyses, RolloutScheduler evaluations, EdgefleetConfig config) {
    this.evaluations = evaluations;
    this.storeRetry =
        new StoreRetry(config.messaging().storeRetryFor(), config.messaging().storeRetryMaxBackoff());
    this.codec = codec;
    this.builds = builds;
    this.rollouts = rollouts;
    this.telemetry = telemetry;
    this.analyses = analyses;
  }

  /** {@code fleet.analysis.results}: AnalysisCompleted / AnalysisFailed from the workers. */
  @Incoming(Channels.ANALYSIS_RESULTS_IN)
  @Blocking
  public CompletionStage<Void> onAnalysisResult(Message<byte[]> message) {
    AnalysisEvent event;
    try {
      event = codec.decode(message.getPayload(), AnalysisEvent.class).event();
    } catch (EventDecodingException e) {
      return DeadLetters.reject(message, e.failure().key(), e);
    }
    if (event instanceof AnalysisRequested) {
      return DeadLetters.reject(message, "event.unexpected-type",
          new IllegalArgumentException("an analysis request is not an analysis result"));
    }
    return process(message, () -> {
      if (event instanceof AnalysisCompleted c) {
        analyses.recordCompleted(c);
      } else if (event instanceof AnalysisFailed f) {
        analyses.recordFailed(f);
      } else {
        throw new IllegalStateException("unhandled analysis event " + event.getClass().getSimpleName());
      }
      return List.<String>of();
    });
  }

  /** {@code fleet.build.results}: BuildCompleted / BuildFailed from the workers. */
  @Incoming(Channels.BUILD_RESULTS_IN)
  @Blocking
  public CompletionStage<Void> onBuildResult(Message<byte[]> message) {
    BuildEvent event;
    try {
      event = codec.decode(message.getPayload(), BuildEvent.class).event();
    } catch (EventDecodingException e) {
      return DeadLetters.reject(message, e.failure().key(), e);
    }
    if (event instanceof BuildRequested) {
      return DeadLetters.reject(message, "event.unexpected-type",
          new IllegalArgumentException("a build request is not a build result"));
    }
    return process(message, () -> {
      if (event instanceof BuildCompleted c) {
        Build b = builds.recordCompleted(c);
        return rollouts.onBuildCompleted(b);
      } else if (event instanceof BuildFailed f) {
        Build b = builds.recordFailed(f);
        return rollouts.onBuildFailed(b);
      }
      throw new IllegalStateException("unhandled build event " + event.getClass().getSimpleName());
    });
  }

  /** {@code fleet.device.feedback}: assignment progress reported by agents. */
  @Incoming(Channels.DEVICE_FEEDBACK_IN)
  @Blocking
  public CompletionStage<Void> onFeedback(Message<byte[]> message) {
    DeviceEvent event;
    try {
      event = codec.decode(message.getPayload(), DeviceEvent.class).event();
    } catch (EventDecodingException e) {
      return DeadLetters.reject(message, e.failure().key(), e);
    }
    if (!(event instanceof DeviceFeedback feedback)) {
      return DeadLetters.reject(message, "event.unexpected-type",
          new IllegalArgumentException("expected device feedback, got " + event.getClass().getSimpleName()));
    }
    return process(message, () -> {
      String rolloutId = rollouts.onFeedback(feedback);
      return rolloutId == null ? List.of() : List.of(rolloutId);
    });
  }

  /** {@code fleet.telemetry}: inference telemetry batches. */
  @Incoming(Channels.TELEMETRY_IN)
  @Blocking
  public CompletionStage<Void> onTelemetry(Message<byte[]> message) {
    DeviceEvent event;
    try {
      event = codec.decode(message.getPayload(), DeviceEvent.class).event();
    } catch (EventDecodingException e) {
      return DeadLetters.reject(message, e.failure().key(), e);
    }
    if (!(event instanceof InferenceTelemetry batch)) {
      return DeadLetters.reject(message, "event.unexpected-type",
          new IllegalArgumentException("expected inference telemetry, got " + event.getClass().getSimpleName()));
    }
    return process(message, () -> {
      if (!telemetry.ingest(batch)) {
        LOG.debugf("dropped replayed telemetry %s #%d", batch.deviceId(), batch.sequence());
        return List.<String>of();
      }
      return batch.rolloutId() == null ? List.<String>of() : List.of(batch.rolloutId());
    });
  }

  /**
   * Runs {@code work} in its own transaction, retried while the database is unreachable ({@link StoreRetry}); after
   * it commits, the rollouts it touched are queued for a (coalesced) evaluation in their own transactions (an
   * evaluation failure never dead-letters the record: the periodic evaluation retries it).
   */
  private CompletionStage<Void> process(Message<byte[]> message, Supplier<Collection<String>> work) {
    Collection<String> touched;
    try {
      touched = storeRetry.call(describe(message), () -> QuarkusTransaction.requiringNew().call(work::get));
    } catch (StoreRetry.StoreUnavailableException e) {
      LOG.errorf(e, "giving up on the database");
      return DeadLetters.reject(message, StoreRetry.STORE_UNAVAILABLE, e);
    } catch (ControlPlaneException e) {
      return DeadLetters.reject(message, e.code().key(), e);
    } catch (RuntimeException e) {
      LOG.errorf(e, "processing failed");
      return DeadLetters.reject(message, PROCESSING_FAILED, e);
    }
    evaluations.requestEvaluation(touched);
    return message.ack();
  }

  private static String describe(Message<byte[]> message) {
    return message.getMetadata(IncomingKafkaRecordMetadata.class)
        .map(m -> "record " + m.getTopic() + "[" + m.getPartition() + "]@" + m.getOffset())
        .orElse("record");
  }
}
