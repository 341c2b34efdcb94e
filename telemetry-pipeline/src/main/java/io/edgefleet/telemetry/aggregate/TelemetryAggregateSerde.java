package io.edgefleet.telemetry.aggregate;

import io.edgefleet.telemetry.TelemetryErrorCode;
import io.edgefleet.telemetry.TelemetryPipelineException;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.HdrHistogram.Histogram;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Compact binary serde of {@link TelemetryAggregate} for state stores and changelogs. Current layout (version 3):
 *
 * <pre>
 * byte  version (3)
 * long  batches, inferences, labelled, correct, reference, agreement, errors, firstWindowStart, lastWindowEnd
 * int   n = length of the histogram encoding; 0 = no latency
 * n     bytes: HdrHistogram V2 encoding (40-byte header, zig-zag LEB128 counts, zero runs collapsed), NOT deflated
 * byte  0 = exact device ids (int count, then per id: unsigned short length + UTF-8), 1 = 4096 HyperLogLog registers
 * </pre>
 *
 * <p>Why not deflated: Kafka Streams serialises a value on every {@code put} (the record cache holds bytes), i.e. 4
 * times per telemetry batch, and deflate was about half of the pipeline's CPU (docs/benchmarks/telemetry.md). The V2
 * encoding is already sparse (one or two bytes per non-empty bucket); the record cache, RocksDB and the changelog
 * topic see a value about 1.5-2x larger. The device ids are re-encoded only when the set changed
 * ({@link DistinctDevices#encoded()}).
 *
 * <p>Version 2 (same fields, the histogram encoding deflated: {@code int n, int c, c bytes}) is still read, so state
 * and changelogs written by earlier releases restore; anything written now is version 3.
 *
 * <p>A value that cannot be read back is corrupt state: {@link TelemetryErrorCode#CORRUPT_STATE}, fatal for the stream
 * thread (state is rebuilt from the changelog by restarting with a wiped state dir).
 */
public final class TelemetryAggregateSerde implements Serde<TelemetryAggregate> {
  static final byte VERSION = 3;
  /** Previous layout (deflated histogram), read only. */
  static final byte VERSION_DEFLATED = 2;
  /** Largest accepted histogram encoding (guards against corrupt length fields). */
  static final int MAX_PAYLOAD = 64 << 20;

  private static final int FIXED_BYTES = 1 + 9 * Long.BYTES + Integer.BYTES;
  private static final ThreadLocal<Inflater> INFLATER = ThreadLocal.withInitial(Inflater::new);
  private static final ThreadLocal<ByteBuffer> HISTOGRAM_BUFFER =
      ThreadLocal.withInitial(() -> ByteBuffer.allocate(1 << 16));

  private final Serializer<TelemetryAggregate> serializer = (topic, a) -> a == null ? null : serialize(a);
  private final Deserializer<TelemetryAggregate> deserializer = (topic, b) -> b == null ? null : deserialize(b);

  @Override
  public Serializer<TelemetryAggregate> serializer() {
    return serializer;
  }

  @Override
  public Deserializer<TelemetryAggregate> deserializer() {
    return deserializer;
  }

  /** Encodes an aggregate (current version). */
  public static byte[] serialize(TelemetryAggregate a) {
    LatencyCounts h = a.latencyCounts();
    ByteBuffer histogram = histogramBuffer(h.maxEncodedBytes());
    int n = h.encodeInto(histogram);
    byte[] devices = a.devices().encoded();
    byte[] out = new byte[FIXED_BYTES + n + devices.length];
    ByteBuffer b = ByteBuffer.wrap(out);
    b.put(VERSION)
        .putLong(a.batches())
        .putLong(a.inferences())
        .putLong(a.labelled())
        .putLong(a.correct())
        .putLong(a.reference())
        .putLong(a.agreement())
        .putLong(a.errors())
        .putLong(a.firstWindowStartMillis())
        .putLong(a.lastWindowEndMillis())
        .putInt(n);
    if (n > 0) {
      b.put(histogram.array(), 0, n);
    }
    b.put(devices);
    return out;
  }

  /** Decodes an aggregate written by {@link #serialize} (version 3) or by an earlier release (version 2). */
  public static TelemetryAggregate deserialize(byte[] data) {
    if (data.length > 0 && data[0] == VERSION_DEFLATED) {
      return deserializeDeflated(data);
    }
    try {
      ByteBuffer in = ByteBuffer.wrap(data);
      byte version = in.get();
      if (version != VERSION) {
        throw new IOException("unknown aggregate encoding version " + version);
      }
      long batches = in.getLong();
      long inferences = in.getLong();
      long labelled = in.getLong();
      long correct = in.getLong();
      long reference = in.getLong();
      long agreement = in.getLong();
      long errors = in.getLong();
      long first = in.getLong();
      long last = in.getLong();
      int n = in.getInt();
      if (n < 0 || n > in.remaining()) {
        throw new IOException("histogram length " + n + " out of range");
      }
      LatencyCounts h = n == 0 ? LatencyCounts.empty() : LatencyCounts.decode(in, n);
      DistinctDevices devices = DistinctDevices.read(in);
      if (in.hasRemaining()) {
        throw new IOException(in.remaining() + " trailing bytes");
      }
      return TelemetryAggregate.restore(batches, inferences, labelled, correct, reference, agreement, errors, first,
          last, h, devices);
    } catch (IOException | IllegalArgumentException | IndexOutOfBoundsException
        | BufferUnderflowException e) {
      throw new TelemetryPipelineException(TelemetryErrorCode.CORRUPT_STATE, "unreadable aggregate: " + e, e);
    }
  }

  /** Reads the version 2 layout (histogram encoding deflated), written by earlier releases. */
  private static TelemetryAggregate deserializeDeflated(byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      byte version = in.readByte();
      if (version != VERSION_DEFLATED) {
        throw new IOException("unknown aggregate encoding version " + version);
      }
      long batches = in.readLong();
      long inferences = in.readLong();
      long labelled = in.readLong();
      long correct = in.readLong();
      long reference = in.readLong();
      long agreement = in.readLong();
      long errors = in.readLong();
      long first = in.readLong();
      long last = in.readLong();
      int n = in.readInt();
      if (n < 0 || n > MAX_PAYLOAD) {
        throw new IOException("histogram length " + n + " out of range");
      }
      LatencyCounts h = LatencyCounts.empty();
      if (n != 0) {
        int c = in.readInt();
        if (c <= 0 || c > data.length) {
          throw new IOException("compressed histogram length " + c + " out of range");
        }
        byte[] compressed = new byte[c];
        in.readFully(compressed);
        byte[] encoded = new byte[n];
        Inflater inflater = INFLATER.get();
        inflater.reset();
        inflater.setInput(compressed);
        int got = 0;
        while (got < n && !inflater.finished()) {
          int k = inflater.inflate(encoded, got, n - got);
          if (k == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
            break;
          }
          got += k;
        }
        if (got != n || !inflater.finished()) {
          throw new IOException("compressed histogram holds " + got + " bytes, expected " + n);
        }
        h.add(Histogram.decodeFromByteBuffer(ByteBuffer.wrap(encoded), 0));
      }
      DistinctDevices devices = DistinctDevices.read(in);
      if (in.available() != 0) {
        throw new IOException(in.available() + " trailing bytes");
      }
      return TelemetryAggregate.restore(batches, inferences, labelled, correct, reference, agreement, errors, first,
          last, h, devices);
    } catch (IOException | DataFormatException | IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new TelemetryPipelineException(TelemetryErrorCode.CORRUPT_STATE, "unreadable aggregate: " + e, e);
    }
  }

  private static ByteBuffer histogramBuffer(int capacity) {
    ByteBuffer b = HISTOGRAM_BUFFER.get();
    if (b.capacity() < capacity) {
      b = ByteBuffer.allocate(Integer.highestOneBit(capacity) << 1);
      HISTOGRAM_BUFFER.set(b);
    }
    b.clear();
    return b;
  }
}
