package io.edgefleet.controlplane.messaging;

import io.edgefleet.controlplane.config.EdgefleetConfig;
import io.edgefleet.controlplane.errors.ControlPlaneException;
import io.edgefleet.controlplane.errors.ErrorCode;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.schemas.events.AnalysisRequested;
import io.edgefleet.schemas.events.BuildRequested;
import io.edgefleet.schemas.events.DesiredState;
import io.edgefleet.schemas.events.FleetEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Publishes events (EventCodec bytes, key = {@link FleetEvent#key()}) and waits for the broker's acknowledgement, so
 * a failed publish fails the surrounding operation instead of being lost.
 */
@ApplicationScoped
public class EventPublisher {
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

  private final EventCodec codec;
  private final String source;
  private final MutinyEmitter<Record<String, byte[]>> buildRequests;
  private final MutinyEmitter<Record<String, byte[]>> desiredStates;
  private final MutinyEmitter<Record<String, byte[]>> analysisRequests;

  public EventPublisher(
      EventCodec codec,
      EdgefleetConfig config,
      @Channel(Channels.BUILD_REQUESTS_OUT) MutinyEmitter<Record<String, byte[]>> buildRequests,
      @Channel(Channels.DESIRED_STATE_OUT) MutinyEmitter<Record<String, byte[]>> desiredStates,
      @Channel(Channels.ANALYSIS_REQUESTS_OUT) MutinyEmitter<Record<String, byte[]>> analysisRequests) {
    this.codec = codec;
    this.source = config.eventSource();
    this.buildRequests = buildRequests;
    this.desiredStates = desiredStates;
    this.analysisRequests = analysisRequests;
  }

  public void publish(BuildRequested event) {
    send(buildRequests, event);
  }

  public void publish(DesiredState event) {
    send(desiredStates, event);
  }

  public void publish(AnalysisRequested event) {
    send(analysisRequests, event);
  }

  private void send(MutinyEmitter<Record<String, byte[]>> emitter, FleetEvent event) {
    byte[] value = codec.encode(event, source);
    try {
      emitter.send(Record.of(event.key(), value)).await().atMost(ACK_TIMEOUT);
    } catch (RuntimeException e) {
      throw new ControlPlaneException(ErrorCode.MESSAGING_UNAVAILABLE,
          "cannot publish " + event.getClass().getSimpleName() + " for " + event.key() + ": " + e.getMessage(), e);
    }
  }
}
