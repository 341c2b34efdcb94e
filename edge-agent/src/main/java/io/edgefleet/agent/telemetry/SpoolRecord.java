package io.edgefleet.agent.telemetry;

import java.util.Objects;

/**
 * One Kafka record waiting in the spool.
 *
 * @param value EventCodec bytes
 */
public record SpoolRecord(String topic, String key, byte[] value) {
  public SpoolRecord {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }
}
