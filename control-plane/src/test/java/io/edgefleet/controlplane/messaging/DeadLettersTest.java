package io.edgefleet.controlplane.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefleet.schemas.Topics;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

  @Test
  void shouldNackWithTheReasonAndTheSourceCoordinatesAsHeaders() {
    ConsumerRecord<String, byte[]> record =
        new ConsumerRecord<>(Topics.TELEMETRY, 2, 41L, "dev-1", "x".getBytes(StandardCharsets.UTF_8));
    AtomicReference<Throwable> nackedWith = new AtomicReference<>();
    AtomicReference<Metadata> nackMetadata = new AtomicReference<>();
    Message<byte[]> message = Message.of(record.value())
        .addMetadata(new IncomingKafkaRecordMetadata<>(record, "telemetry"))
        .withNackWithMetadata((failure, metadata) -> {
          nackedWith.set(failure);
          nackMetadata.set(metadata);
          return CompletableFuture.completedFuture(null);
        });
    IllegalStateException failure = new IllegalStateException("boom");

    DeadLetters.reject(message, "event.processing-failed", failure).toCompletableFuture().join();

    assertThat(nackedWith.get()).isSameAs(failure);
    @SuppressWarnings("unchecked")
    OutgoingKafkaRecordMetadata<Object> out =
        nackMetadata.get().get(OutgoingKafkaRecordMetadata.class).orElseThrow();
    Headers headers = out.getHeaders();
    assertThat(header(headers, Topics.DLQ_REASON_HEADER)).isEqualTo("event.processing-failed: boom");
    assertThat(header(headers, Topics.DLQ_SOURCE_TOPIC_HEADER)).isEqualTo(Topics.TELEMETRY);
    assertThat(header(headers, Topics.DLQ_SOURCE_PARTITION_HEADER)).isEqualTo("2");
    assertThat(header(headers, Topics.DLQ_SOURCE_OFFSET_HEADER)).isEqualTo("41");
  }

  @Test
  void shouldNameTheInnermostCauseOfAWrappedFailure() {
    SQLException driver = new SQLException("ERROR: value too long for type character varying(64)");
    RuntimeException wrapped = new RuntimeException("transaction rolled back",
        new IllegalStateException("could not execute statement", driver));

    String reason = DeadLetters.reason("event.processing-failed", wrapped);

    assertThat(reason).isEqualTo("event.processing-failed: transaction rolled back"
        + " (cause: ERROR: value too long for type character varying(64))");
  }

  @Test
  void shouldFallBackToTheFailureTypeWithoutAMessageAndBoundTheLength() {
    assertThat(DeadLetters.reason("k", new NullPointerException())).isEqualTo("k: NullPointerException");
    assertThat(DeadLetters.reason("event.malformed-json", new IllegalStateException("event.malformed-json: not JSON")))
        .isEqualTo("event.malformed-json: not JSON");

    String reason = DeadLetters.reason("k", new IllegalArgumentException("y".repeat(10_000)));

    assertThat(reason).hasSize(DeadLetters.MAX_REASON_CHARS).startsWith("k: yyy").endsWith("...");
  }

  private static String header(Headers headers, String name) {
    return headers.lastHeader(name) == null ? null
        : new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
