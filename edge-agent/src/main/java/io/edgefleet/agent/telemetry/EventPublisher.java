package io.edgefleet.agent.telemetry;

import io.edgefleet.schemas.Topics;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.schemas.events.DeviceEvent;
import io.edgefleet.schemas.events.DeviceFeedback;
import io.edgefleet.schemas.events.InferenceTelemetry;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;

/**
 * Publishes the device's events (feedback, telemetry) to Kafka through the on-disk {@link TelemetrySpool}: an event is
 * appended durably first, then a sender thread delivers spooled records in order and removes them once the broker
 * acknowledged them. While the broker is unreachable events accumulate in the spool (bounded, drop-oldest) and are
 * replayed when it returns. Delivery is at-least-once; telemetry carries a per-device sequence for deduplication.
 */
public final class EventPublisher implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(EventPublisher.class.getName());
  private static final int BATCH = 200;
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(45);
  private static final Duration MIN_BACKOFF = Duration.ofMillis(500);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(15);

  private final TelemetrySpool spool;
  private final Producer<String, byte[]> producer;
  private final EventCodec codec;
  private final String source;
  private final Object signal = new Object();
  private final Thread sender;
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong failedSends = new AtomicLong();
  private volatile boolean closed;
  private volatile String lastError;

  /**
   * @param source CloudEvents source of this device, e.g. {@code edgefleet/edge-agent/<deviceId>}
   */
  public EventPublisher(TelemetrySpool spool, Producer<String, byte[]> producer, EventCodec codec, String source) {
    this.spool = Objects.requireNonNull(spool);
    this.producer = Objects.requireNonNull(producer);
    this.codec = Objects.requireNonNull(codec);
    this.source = Objects.requireNonNull(source);
    this.sender = new Thread(this::run, "edge-agent-sender-" + source);
    this.sender.setDaemon(true);
    this.sender.start();
  }

  /** Topic of a device event. */
  public static String topicOf(DeviceEvent event) {
    if (event instanceof InferenceTelemetry) {
      return Topics.TELEMETRY;
    }
    if (event instanceof DeviceFeedback) {
      return Topics.DEVICE_FEEDBACK;
    }
    throw new IllegalArgumentException("agents do not publish " + event.getClass().getSimpleName());
  }

  /** Spools the event durably and wakes the sender. */
  public void publish(DeviceEvent event) {
    spool.append(new SpoolRecord(topicOf(event), event.key(), codec.encode(event, source)));
    synchronized (signal) {
      signal.notifyAll();
    }
  }

  /** Records acknowledged by the broker since start. */
  public long deliveredCount() {
    return delivered.get();
  }

  /** Records dropped by the spool bound since start. */
  public long droppedCount() {
    return spool.droppedRecords();
  }

  /** Failed delivery attempts (each followed by a backoff and a replay). */
  public long failedSendCount() {
    return failedSends.get();
  }

  /** Whether every published event has been delivered. */
  public boolean drained() {
    return spool.isEmpty();
  }

  public String lastError() {
    return lastError;
  }

  private void run() {
    Duration backoff = MIN_BACKOFF;
    while (!closed) {
      List<TelemetrySpool.Pending> batch = spool.peek(BATCH);
      if (batch.isEmpty()) {
        await(Duration.ofSeconds(1));
        continue;
      }
      TelemetrySpool.Pending lastDelivered = null;
      try {
        List<Future<RecordMetadata>> futures = new ArrayList<>(batch.size());
        for (TelemetrySpool.Pending p : batch) {
          SpoolRecord r = p.record();
          futures.add(producer.send(new ProducerRecord<>(r.topic(), r.key(), r.value())));
        }
        for (int i = 0; i < futures.size(); i++) {
          futures.get(i).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
          lastDelivered = batch.get(i);
          delivered.incrementAndGet();
        }
        spool.commit(lastDelivered);
        backoff = MIN_BACKOFF;
        if (lastError != null) {
          LOG.log(Level.INFO, "{0}: Kafka reachable again, spool replayed", source);
          lastError = null;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ExecutionException | TimeoutException | KafkaException e) {
        if (lastDelivered != null) {
          spool.commit(lastDelivered);
        }
        failedSends.incrementAndGet();
        String message = e instanceof ExecutionException ? String.valueOf(e.getCause()) : e.toString();
        if (lastError == null) {
          LOG.log(Level.WARNING, "{0}: Kafka delivery failed, events stay in the spool and are replayed: {1}", source, message);
        }
        lastError = message;
        await(backoff);
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
      }
    }
  }

  private void await(Duration d) {
    synchronized (signal) {
      if (closed) {
        return;
      }
      try {
        signal.wait(d.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        closed = true;
      }
    }
  }

  /** Stops the sender (undelivered events stay in the spool for the next start) and closes producer and spool. */
  @Override
  public void close() {
    closed = true;
    synchronized (signal) {
      signal.notifyAll();
    }
    try {
      sender.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (sender.isAlive()) {
      sender.interrupt();
    }
    producer.close(Duration.ofSeconds(5));
    spool.close();
  }
}
