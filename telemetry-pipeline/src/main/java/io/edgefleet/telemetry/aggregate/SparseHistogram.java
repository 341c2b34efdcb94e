package io.edgefleet.telemetry.aggregate;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The non-empty buckets of one telemetry batch's latency histogram: for each, the lowest value of the bucket and its
 * count. Decoded once per batch and added to every aggregate it belongs to ({@link #addTo}), which records the same
 * values with the same counts as {@link Histogram#add} does for histograms of another layout, without building the
 * agent's full counts array (range 1 µs-60 s at 3 digits is ~17 k buckets, 136 KiB, for ~100 recorded values).
 *
 * <p>Immutable.
 */
public final class SparseHistogram {
  /** HdrHistogram V2 cookies (uncompressed / compressed), word size bits included (HdrHistogram's constants). */
  static final int V2_COOKIE = 0x1c849303 | 0x10;
  static final int V2_COMPRESSED_COOKIE = 0x1c849304 | 0x10;
  private static final int V2_HEADER_BYTES = 40;
  /** Largest inflated encoding accepted (HdrHistogram's own encoding of 1 µs-1 h at 5 digits is ~2.5 MiB). */
  private static final int MAX_ENCODED_BYTES = 8 << 20;
  private static final ThreadLocal<Inflater> INFLATER = ThreadLocal.withInitial(Inflater::new);
  private static final ThreadLocal<byte[]> INFLATED = ThreadLocal.withInitial(() -> new byte[1 << 16]);

  private final long[] values;
  private final long[] counts;
  private final long totalCount;

  private SparseHistogram(long[] values, long[] counts, int size) {
    this.values = size == values.length ? values : Arrays.copyOf(values, size);
    this.counts = size == counts.length ? counts : Arrays.copyOf(counts, size);
    long total = 0;
    for (int i = 0; i < size; i++) {
      total += this.counts[i];
    }
    this.totalCount = total;
  }

  /** The non-empty buckets of {@code h}. */
  public static SparseHistogram of(Histogram h) {
    long[] values = new long[16];
    long[] counts = new long[16];
    int n = 0;
    for (HistogramIterationValue v : h.recordedValues()) {
      if (n == values.length) {
        values = Arrays.copyOf(values, n * 2);
        counts = Arrays.copyOf(counts, n * 2);
      }
      values[n] = h.lowestEquivalentValue(v.getValueIteratedTo());
      counts[n] = v.getCountAtValueIteratedTo();
      n++;
    }
    return new SparseHistogram(values, counts, n);
  }

  /**
   * Decodes HdrHistogram's compressed encoding (what agents send). The usual layout (V2, no index normalisation) is
   * read directly; anything else goes through {@link Histogram#decodeFromCompressedByteBuffer}.
   *
   * @throws IllegalArgumentException if the bytes are not a compressed HdrHistogram
   */
  public static SparseHistogram decodeCompressed(byte[] compressed) {
    SparseHistogram fast = tryDecodeV2(compressed);
    return fast != null ? fast : of(LatencyHistograms.decode(compressed));
  }

  /** Null when the encoding is not the plain compressed V2 layout (or is damaged): the caller takes the slow path. */
  private static SparseHistogram tryDecodeV2(byte[] compressed) {
    if (compressed.length < 8) {
      return null;
    }
    ByteBuffer in = ByteBuffer.wrap(compressed);
    if (in.getInt() != V2_COMPRESSED_COOKIE) {
      return null;
    }
    int compressedLength = in.getInt();
    if (compressedLength <= 0 || compressedLength > in.remaining()) {
      return null;
    }
    Inflater inflater = INFLATER.get();
    inflater.reset();
    inflater.setInput(compressed, 8, compressedLength);
    byte[] buffer = INFLATED.get();
    int length = 0;
    try {
      while (!inflater.finished()) {
        if (length == buffer.length) {
          if (buffer.length >= MAX_ENCODED_BYTES) {
            return null;
          }
          buffer = Arrays.copyOf(buffer, buffer.length * 2);
          INFLATED.set(buffer);
        }
        int k = inflater.inflate(buffer, length, buffer.length - length);
        if (k == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          return null;
        }
        length += k;
      }
    } catch (DataFormatException e) {
      // not deflate data: the slow path reports it with HdrHistogram's own message
      return null;
    }
    return parseV2(ByteBuffer.wrap(buffer, 0, length));
  }

  /** Parses an uncompressed V2 encoding; null if the layout is not the plain one this reader supports. */
  static SparseHistogram parseV2(ByteBuffer in) {
    try {
      if (in.remaining() < V2_HEADER_BYTES || in.getInt() != V2_COOKIE) {
        return null;
      }
      int payloadLength = in.getInt();
      int normalizingIndexOffset = in.getInt();
      int significantDigits = in.getInt();
      long lowestDiscernible = in.getLong();
      long highestTrackable = in.getLong();
      in.getDouble(); // integer-to-double conversion ratio: not used for integer latencies
      if (normalizingIndexOffset != 0 || significantDigits < 0 || significantDigits > 5 || lowestDiscernible < 1
          || highestTrackable < 2 * lowestDiscernible || payloadLength < 0 || payloadLength > in.remaining()) {
        return null;
      }
      Layout layout = new Layout(lowestDiscernible, highestTrackable, significantDigits);
      int end = in.position() + payloadLength;
      long[] values = new long[64];
      long[] counts = new long[64];
      int n = 0;
      int index = 0;
      while (in.position() < end) {
        long count = ZigZag.getLong(in);
        if (count < 0) {
          long zeros = -count;
          if (zeros > layout.countsArrayLength - index) {
            return null;
          }
          index += (int) zeros;
          continue;
        }
        if (index >= layout.countsArrayLength) {
          return null;
        }
        if (count > 0) {
          if (n == values.length) {
            values = Arrays.copyOf(values, n * 2);
            counts = Arrays.copyOf(counts, n * 2);
          }
          values[n] = layout.valueFromIndex(index);
          counts[n] = count;
          n++;
        }
        index++;
      }
      if (in.position() != end) {
        return null;
      }
      return new SparseHistogram(values, counts, n);
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      // truncated or malformed: the slow path reports it with HdrHistogram's own message
      return null;
    }
  }

  /** Records every bucket into {@code target}. */
  void addTo(LatencyCounts target) {
    for (int i = 0; i < values.length; i++) {
      target.record(values[i], counts[i]);
    }
  }

  /** Records every bucket into {@code target} (auto-resizing if {@code target} is). */
  public void addTo(Histogram target) {
    for (int i = 0; i < values.length; i++) {
      target.recordValueWithCount(values[i], counts[i]);
    }
  }

  /** Number of values recorded. */
  public long totalCount() {
    return totalCount;
  }

  /** Number of non-empty buckets. */
  public int buckets() {
    return values.length;
  }

  /** An HdrHistogram (auto-resizing, {@link LatencyHistograms#SIGNIFICANT_DIGITS} digits) holding these values. */
  public Histogram toHistogram() {
    Histogram h = LatencyHistograms.empty();
    addTo(h);
    return h;
  }

  /** HdrHistogram's bucket layout, as computed by {@code AbstractHistogram.init}. */
  private static final class Layout {
    final int unitMagnitude;
    final int subBucketHalfCountMagnitude;
    final int subBucketHalfCount;
    final int countsArrayLength;

    Layout(long lowestDiscernible, long highestTrackable, int significantDigits) {
      long largestValueWithSingleUnitResolution = 2 * (long) Math.pow(10, significantDigits);
      unitMagnitude = (int) (Math.log(lowestDiscernible) / Math.log(2));
      int subBucketCountMagnitude = (int) Math.ceil(Math.log(largestValueWithSingleUnitResolution) / Math.log(2));
      subBucketHalfCountMagnitude = Math.max(subBucketCountMagnitude, 1) - 1;
      int subBucketCount = 1 << (subBucketHalfCountMagnitude + 1);
      subBucketHalfCount = subBucketCount / 2;
      if (unitMagnitude + subBucketHalfCountMagnitude > 61) {
        throw new IllegalArgumentException("layout out of range");
      }
      long smallestUntrackable = ((long) subBucketCount) << unitMagnitude;
      int bucketsNeeded = 1;
      while (smallestUntrackable <= highestTrackable) {
        if (smallestUntrackable > Long.MAX_VALUE / 2) {
          bucketsNeeded++;
          break;
        }
        smallestUntrackable <<= 1;
        bucketsNeeded++;
      }
      countsArrayLength = (bucketsNeeded + 1) * (subBucketCount / 2);
    }

    long valueFromIndex(int index) {
      int bucketIndex = (index >> subBucketHalfCountMagnitude) - 1;
      int subBucketIndex = (index & (subBucketHalfCount - 1)) + subBucketHalfCount;
      if (bucketIndex < 0) {
        subBucketIndex -= subBucketHalfCount;
        bucketIndex = 0;
      }
      return ((long) subBucketIndex) << (bucketIndex + unitMagnitude);
    }
  }
}
