package io.edgefleet.controlplane.messaging;

import io.edgefleet.controlplane.config.EdgefleetConfig;
import io.edgefleet.controlplane.errors.ControlPlaneException;
import io.edgefleet.controlplane.errors.ErrorCode;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.schemas.events.AnalysisRequested;
import io.edgefleet.schemas.events.BuildRequested;
import io.edgefleet.schemas.events.DesiredState;
import io.edgefleet.schemas.events.FleetEvent;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.narayana.jta.TransactionSemantics;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Publishes events (EventCodec bytes, key = {@link FleetEvent#key()}) and waits for the broker's acknowledgement, so
 * a failed publish fails the surrounding operation instead of being lost.
 *
 * <p>Desired states are pipelined: inside a transaction each one is sent at once, and all their acknowledgements are
 * awaited together just before the transaction commits (a rollout to 10,000 devices waits for one round of acks, not
 * 10,000 in a row). A missing acknowledgement rolls the transaction back, as before.
 */
@ApplicationScoped
public class EventPublisher {
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);
  /** Per-transaction resource: the desired states sent in it, awaited before commit. */
  private static final Object PENDING_ACKS = new Object();

  private final EventCodec codec;
  private final String source;
  private final MutinyEmitter<Record<String, byte[]>> buildRequests;
  private final MutinyEmitter<Record<String, byte[]>> desiredStates;
  private final MutinyEmitter<Record<String, byte[]>> analysisRequests;
  private final TransactionSynchronizationRegistry transactions;

  public EventPublisher(
      EventCodec codec,
      EdgefleetConfig config,
      TransactionSynchronizationRegistry transactions,
      @Channel(Channels.BUILD_REQUESTS_OUT) MutinyEmitter<Record<String, byte[]>> buildRequests,
      // a rollout sends all its desired states before awaiting their acks: buffer them rather than fail the send
      @Channel(Channels.DESIRED_STATE_OUT) @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
          MutinyEmitter<Record<String, byte[]>> desiredStates,
      @Channel(Channels.ANALYSIS_REQUESTS_OUT) MutinyEmitter<Record<String, byte[]>> analysisRequests) {
    this.codec = codec;
    this.source = config.eventSource();
    this.buildRequests = buildRequests;
    this.desiredStates = desiredStates;
    this.analysisRequests = analysisRequests;
    this.transactions = transactions;
  }

  public void publish(BuildRequested event) {
    send(buildRequests, event);
  }

  /**
   * Sends {@code event} now; inside a transaction its acknowledgement is awaited (with every other desired state of
   * the transaction) before the commit, outside one it is awaited here.
   */
  public void publish(DesiredState event) {
    if (transactions.getTransactionKey() == null) {
      send(desiredStates, event);
      return;
    }
    @SuppressWarnings("unchecked")
    List<Pending> pending = (List<Pending>) transactions.getResource(PENDING_ACKS);
    if (pending == null) {
      List<Pending> created = new ArrayList<>();
      transactions.putResource(PENDING_ACKS, created);
      transactions.registerInterposedSynchronization(new Synchronization() {
        @Override
        public void beforeCompletion() {
          awaitAll(created);
        }

        @Override
        public void afterCompletion(int status) {
          // nothing to release: the sends are complete (or failed) by now
        }
      });
      pending = created;
    }
    byte[] value = codec.encode(event, source);
    CompletableFuture<Void> ack;
    try {
      ack = outsideTransaction(() -> desiredStates.send(Record.of(event.key(), value)).subscribeAsCompletionStage());
    } catch (RuntimeException e) {
      throw new ControlPlaneException(ErrorCode.MESSAGING_UNAVAILABLE,
          "cannot publish DesiredState for " + event.key() + ": " + e.getMessage(), e);
    }
    pending.add(new Pending(event.key(), ack));
  }

  /** A desired state on its way to the broker. */
  private record Pending(String key, CompletableFuture<Void> ack) {}

  private static void awaitAll(List<Pending> pending) {
    long deadline = System.nanoTime() + ACK_TIMEOUT.toNanos();
    for (Pending p : pending) {
      try {
        p.ack().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ControlPlaneException(ErrorCode.MESSAGING_UNAVAILABLE,
            "interrupted while publishing DesiredState for " + p.key(), e);
      } catch (ExecutionException | TimeoutException e) {
        throw new ControlPlaneException(ErrorCode.MESSAGING_UNAVAILABLE, "cannot publish DesiredState for " + p.key()
            + " (" + pending.size() + " in this transaction): " + e.getMessage(), e);
      }
    }
  }

  public void publish(AnalysisRequested event) {
    send(analysisRequests, event);
  }

  private void send(MutinyEmitter<Record<String, byte[]>> emitter, FleetEvent event) {
    byte[] value = codec.encode(event, source);
    try {
      outsideTransaction(() -> emitter.send(Record.of(event.key(), value)).await().atMost(ACK_TIMEOUT));
    } catch (RuntimeException e) {
      throw new ControlPlaneException(ErrorCode.MESSAGING_UNAVAILABLE,
          "cannot publish " + event.getClass().getSimpleName() + " for " + event.key() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Runs a send with the caller's transaction suspended. Context propagation captures the thread's transaction when
   * the send is subscribed and re-associates it with the producer thread that completes the acknowledgement; a
   * commit racing with that callback then fails ("committing with 2 threads active", "Enlisted connection used
   * without active transaction") and rolls the caller's work back. The send touches no database, so it needs no
   * transaction; suspending it keeps the transaction on the caller's thread alone.
   */
  private static <T> T outsideTransaction(Supplier<T> send) {
    return QuarkusTransaction.runner(TransactionSemantics.SUSPEND_EXISTING).call(send::get);
  }
}
