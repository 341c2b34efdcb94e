package io.edgefleet.telemetry.aggregate;

import io.edgefleet.telemetry.TelemetryErrorCode;
import io.edgefleet.telemetry.TelemetryPipelineException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.HdrHistogram.Histogram;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Compact binary serde of {@link TelemetryAggregate} for state stores and changelogs:
 *
 * <pre>
 * byte  version (2)
 * long  batches, inferences, labelled, correct, reference, agreement, errors, firstWindowStart, lastWindowEnd
 * int   n = length of the HdrHistogram V2 encoding (zig-zag LEB128 counts, zero runs collapsed); 0 = no latency
 * int   c, then c bytes: that encoding deflated (fastest level)            (only when n > 0)
 * byte  0 = exact device ids (int count, then per id: unsigned short length + UTF-8), 1 = 4096 HyperLogLog registers
 * </pre>
 *
 * <p>The histogram is stored compressed (run-length/varint, then deflate) with one reused {@link Deflater} /
 * {@link Inflater} per thread: stores are rewritten on every update, and creating a zlib stream per call (as
 * HdrHistogram's own compressed encoding does) would dominate the cost.
 *
 * <p>A value that cannot be read back is corrupt state: {@link TelemetryErrorCode#CORRUPT_STATE}, fatal for the stream
 * thread (state is rebuilt from the changelog by restarting with a wiped state dir).
 */
public final class TelemetryAggregateSerde implements Serde<TelemetryAggregate> {
  static final byte VERSION = 2;
  /** Largest accepted histogram encoding (guards against corrupt length fields). */
  static final int MAX_PAYLOAD = 64 << 20;

  private static final ThreadLocal<Deflater> DEFLATER = ThreadLocal.withInitial(() -> new Deflater(Deflater.BEST_SPEED));
  private static final ThreadLocal<Inflater> INFLATER = ThreadLocal.withInitial(Inflater::new);
  private static final ThreadLocal<ByteBuffer> HISTOGRAM_BUFFER = ThreadLocal.withInitial(() -> ByteBuffer.allocate(1 << 16));

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

  /** Encodes an aggregate. */
  public static byte[] serialize(TelemetryAggregate a) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeLong(a.batches());
      out.writeLong(a.inferences());
      out.writeLong(a.labelled());
      out.writeLong(a.correct());
      out.writeLong(a.reference());
      out.writeLong(a.agreement());
      out.writeLong(a.errors());
      out.writeLong(a.firstWindowStartMillis());
      out.writeLong(a.lastWindowEndMillis());
      Histogram h = a.histogram();
      if (h.getTotalCount() == 0) {
        out.writeInt(0);
      } else {
        ByteBuffer buffer = histogramBuffer(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoByteBuffer(buffer);
        Deflater deflater = DEFLATER.get();
        deflater.reset();
        deflater.setInput(buffer.array(), 0, n);
        deflater.finish();
        byte[] compressed = new byte[n + 64];
        int c = 0;
        while (!deflater.finished()) {
          if (c == compressed.length) {
            compressed = java.util.Arrays.copyOf(compressed, compressed.length * 2);
          }
          c += deflater.deflate(compressed, c, compressed.length - c);
        }
        out.writeInt(n);
        out.writeInt(c);
        out.write(compressed, 0, c);
      }
      a.devices().write(out);
    } catch (IOException e) {
      throw new TelemetryPipelineException(TelemetryErrorCode.INTERNAL, "cannot encode aggregate: " + e, e);
    }
    return bytes.toByteArray();
  }

  /** Decodes an aggregate written by {@link #serialize}. */
  public static TelemetryAggregate deserialize(byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      byte version = in.readByte();
      if (version != VERSION) {
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
      Histogram h;
      if (n == 0) {
        h = LatencyHistograms.empty();
      } else {
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
        h = Histogram.decodeFromByteBuffer(ByteBuffer.wrap(encoded), 0);
        h.setAutoResize(true);
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
