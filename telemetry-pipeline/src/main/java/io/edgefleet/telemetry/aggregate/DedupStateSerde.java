package io.edgefleet.telemetry.aggregate;

import io.edgefleet.telemetry.TelemetryErrorCode;
import io.edgefleet.telemetry.TelemetryPipelineException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary serde of {@link DedupState}: version byte (1), max sequence, last-seen millis, then the bitmap words with
 * trailing zero words omitted (a device sending in order needs a few bytes of bitmap).
 */
public final class DedupStateSerde implements Serde<DedupState> {
  static final byte VERSION = 1;

  private final Serializer<DedupState> serializer = (topic, s) -> s == null ? null : serialize(s);
  private final Deserializer<DedupState> deserializer = (topic, b) -> b == null ? null : deserialize(b);

  @Override
  public Serializer<DedupState> serializer() {
    return serializer;
  }

  @Override
  public Deserializer<DedupState> deserializer() {
    return deserializer;
  }

  public static byte[] serialize(DedupState s) {
    int used = DedupState.WORDS;
    while (used > 0 && s.word(used - 1) == 0) {
      used--;
    }
    ByteBuffer b = ByteBuffer.allocate(1 + 8 + 8 + 1 + used * 8);
    b.put(VERSION).putLong(s.maxSequence()).putLong(s.lastSeenMillis()).put((byte) used);
    for (int i = 0; i < used; i++) {
      b.putLong(s.word(i));
    }
    return b.array();
  }

  public static DedupState deserialize(byte[] data) {
    try {
      ByteBuffer b = ByteBuffer.wrap(data);
      byte version = b.get();
      if (version != VERSION) {
        throw new IllegalArgumentException("unknown dedup state version " + version);
      }
      long max = b.getLong();
      long lastSeen = b.getLong();
      int used = b.get();
      if (used < 0 || used > DedupState.WORDS || b.remaining() != used * 8) {
        throw new IllegalArgumentException("bitmap of " + used + " words in " + b.remaining() + " bytes");
      }
      long[] words = new long[DedupState.WORDS];
      for (int i = 0; i < used; i++) {
        words[i] = b.getLong();
      }
      return new DedupState(max, lastSeen, words);
    } catch (RuntimeException e) {
      throw new TelemetryPipelineException(TelemetryErrorCode.CORRUPT_STATE, "unreadable dedup state: " + e, e);
    }
  }
}
