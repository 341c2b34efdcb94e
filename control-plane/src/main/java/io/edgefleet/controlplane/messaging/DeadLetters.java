package io.edgefleet.controlplane.messaging;

import io.edgefleet.schemas.Topics;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

/**
 * Rejects a poison record: nacks it so the channel's {@code dead-letter-queue} failure strategy copies it to
 * {@code <topic>.dlq}, adding the project's DLQ headers ({@link Topics#DLQ_REASON_HEADER} = failure key + message,
 * source topic/partition/offset) next to SmallRye's own {@code dead-letter-*} headers. The consumer then moves on.
 */
public final class DeadLetters {
  private static final Logger LOG = Logger.getLogger(DeadLetters.class);

  private DeadLetters() {}

  public static CompletionStage<Void> reject(Message<byte[]> message, String reasonKey, Throwable failure) {
    String reason = reasonKey + ": " + failure.getMessage();
    RecordHeaders headers = new RecordHeaders();
    headers.add(Topics.DLQ_REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
    message.getMetadata(IncomingKafkaRecordMetadata.class).ifPresent(m -> {
      headers.add(Topics.DLQ_SOURCE_TOPIC_HEADER, m.getTopic().getBytes(StandardCharsets.UTF_8));
      headers.add(Topics.DLQ_SOURCE_PARTITION_HEADER,
          Integer.toString(m.getPartition()).getBytes(StandardCharsets.UTF_8));
      headers.add(Topics.DLQ_SOURCE_OFFSET_HEADER, Long.toString(m.getOffset()).getBytes(StandardCharsets.UTF_8));
      LOG.warnf("dead-lettering %s[%d]@%d: %s", m.getTopic(), m.getPartition(), m.getOffset(), reason);
    });
    OutgoingKafkaRecordMetadata<Object> dlq = OutgoingKafkaRecordMetadata.builder().withHeaders(headers).build();
    return message.nack(failure, Metadata.of(dlq));
  }
}
