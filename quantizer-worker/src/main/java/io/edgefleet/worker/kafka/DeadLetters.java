package io.edgefleet.worker.kafka;

import io.edgefleet.schemas.Topics;
import io.edgefleet.schemas.codec.EventCodec;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Builds dead-letter copies of poison records (pure). */
public final class DeadLetters {
  /** Set when the original value was too large to copy; holds the original size in bytes. */
  public static final String DLQ_VALUE_DROPPED_HEADER = "dlq-value-dropped-bytes";

  /** Values larger than this are not copied (the broker would refuse the record and block the consumer). */
  static final int MAX_COPIED_VALUE_BYTES = EventCodec.MAX_EVENT_BYTES;

  private DeadLetters() {}

  /**
   * The dead-letter record for {@code source}: same key and value (unless oversized), headers {@link
   * Topics#DLQ_REASON_HEADER}, {@link Topics#DLQ_SOURCE_TOPIC_HEADER}, {@link Topics#DLQ_SOURCE_PARTITION_HEADER}, {@link
   * Topics#DLQ_SOURCE_OFFSET_HEADER}; the original headers are kept.
   */
  public static ProducerRecord<String, byte[]> of(ConsumerRecord<String, byte[]> source, String reason) {
    Headers headers = new RecordHeaders(source.headers().toArray());
    headers.add(Topics.DLQ_REASON_HEADER, utf8(reason));
    headers.add(Topics.DLQ_SOURCE_TOPIC_HEADER, utf8(source.topic()));
    headers.add(Topics.DLQ_SOURCE_PARTITION_HEADER, utf8(Integer.toString(source.partition())));
    headers.add(Topics.DLQ_SOURCE_OFFSET_HEADER, utf8(Long.toString(source.offset())));
    byte[] value = source.value();
    if (value != null && value.length > MAX_COPIED_VALUE_BYTES) {
      headers.add(DLQ_VALUE_DROPPED_HEADER, utf8(Integer.toString(value.length)));
      value = null;
    }
    return new ProducerRecord<>(Topics.deadLetter(source.topic()), null, source.key(), value, headers);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
