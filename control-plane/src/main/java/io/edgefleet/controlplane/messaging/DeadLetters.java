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

  static final int MAX_REASON_CHARS = 2000;

  private DeadLetters() {}

  public static CompletionStage<Void> reject(Message<byte[]> message, String reasonKey, Throwable failure) {
    String reason = reason(reasonKey, failure);
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

  /**
   * The DLQ reason: the failure key, the failure's message and, when the failure wraps others (a transaction
   * rollback wrapping a constraint violation wrapping the driver's error), the innermost cause's message, which is
   * the one that says what was wrong. Bounded so that it always fits in a record header.
   */
  static String reason(String reasonKey, Throwable failure) {
    String message = message(failure);
    // decoding failures already start their message with their key
    StringBuilder reason = message.startsWith(reasonKey) ? new StringBuilder(message)
        : new StringBuilder(reasonKey).append(": ").append(message);
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root != failure) {
      String rootMessage = message(root);
      if (!reason.toString().contains(rootMessage)) {
        reason.append(" (cause: ").append(rootMessage).append(')');
      }
    }
    return reason.length() <= MAX_REASON_CHARS ? reason.toString() : reason.substring(0, MAX_REASON_CHARS - 3) + "...";
  }

  private static String message(Throwable t) {
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m.strip();
  }
}
