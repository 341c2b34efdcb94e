package io.edgefleet.telemetry.aggregate;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.HdrHistogram.Histogram;

/**
 * The latency histogram of an aggregate: counts per bucket in exactly HdrHistogram's layout for a lowest discernible
 * value of 1 µs and {@value LatencyHistograms#SIGNIFICANT_DIGITS} significant digits (so percentiles are the same as
 * an HdrHistogram's), held in a plain {@code long[]} that grows with the largest value.
 *
 * <p>Why not an HdrHistogram: an aggregate is serialised on every store update, and walking an HdrHistogram's counts
 * through its per-index accessors (V2 encoding) and rebuilding one on every read (decode, then a scan of all counts to
 * restore min/max/total) were the largest costs after JSON decoding. The binary form is still HdrHistogram's V2
 * encoding ({@link #encodeInto}), readable by {@link Histogram#decodeFromByteBuffer}.
 *
 * <p>Mutable, not thread-safe.
 */
final class LatencyCounts {
  /** V2 encoding cookie (uncompressed, 8-byte words: HdrHistogram's constant). */
  static final int V2_COOKIE = SparseHistogram.V2_COOKIE;
  static final int HEADER_BYTES = 40;

  private static final int SIGNIFICANT_DIGITS = LatencyHistograms.SIGNIFICANT_DIGITS;
  /** 2 * 10^3 = 2000 needs 11 bits: 2048 sub-buckets, the upper half of each bucket after the first is used. */
  private static final int SUB_BUCKET_COUNT_MAGNITUDE = 11;
  private static final int SUB_BUCKET_HALF_COUNT_MAGNITUDE = SUB_BUCKET_COUNT_MAGNITUDE - 1;
  private static final int SUB_BUCKET_COUNT = 1 << SUB_BUCKET_COUNT_MAGNITUDE;
  private static final int SUB_BUCKET_HALF_COUNT = SUB_BUCKET_COUNT / 2;
  private static final long SUB_BUCKET_MASK = SUB_BUCKET_COUNT - 1;
  private static final int LEADING_ZERO_COUNT_BASE = 64 - SUB_BUCKET_COUNT_MAGNITUDE;
  /** Counts-array length of an HdrHistogram covering [1, 2] (the smallest one). */
  private static final int MIN_LENGTH = 2 * SUB_BUCKET_HALF_COUNT;

  private long[] counts;
  private long totalCount;
  /** Highest index with a non-zero count, -1 if empty. */
  private int maxIndex = -1;

  private LatencyCounts(long[] counts) {
    this.counts = counts;
  }

  static LatencyCounts empty() {
    return new LatencyCounts(new long[MIN_LENGTH]);
  }

  /** Adds {@code count} occurrences of {@code value} (µs, at least 0). */
  void record(long value, long count) {
    if (value < 0) {
      throw new IllegalArgumentException("negative latency " + value);
    }
    int index = index(value);
    if (index >= counts.length) {
      counts = Arrays.copyOf(counts, lengthFor(index));
    }
    counts[index] += count;
    totalCount += count;
    if (index > maxIndex && counts[index] != 0) {
      maxIndex = index;
    }
  }

  /** Adds every count of {@code other} (same layout: index by index). */
  void add(LatencyCounts other) {
    if (other.maxIndex >= counts.length) {
      counts = Arrays.copyOf(counts, lengthFor(other.maxIndex));
    }
    for (int i = 0; i <= other.maxIndex; i++) {
      counts[i] += other.counts[i];
    }
    totalCount += other.totalCount;
    maxIndex = Math.max(maxIndex, other.maxIndex);
  }

  /** Adds every value recorded in an HdrHistogram of any layout (like {@link Histogram#add}). */
  void add(Histogram h) {
    SparseHistogram.of(h).addTo(this);
  }

  long totalCount() {
    return totalCount;
  }

  LatencyCounts copy() {
    LatencyCounts c = new LatencyCounts(counts.clone());
    c.totalCount = totalCount;
    c.maxIndex = maxIndex;
    return c;
  }

  /** An auto-resizing HdrHistogram holding the same counts (for percentiles, mean and max). */
  Histogram toHistogram() {
    Histogram h = LatencyHistograms.empty();
    for (int i = maxIndex; i >= 0; i--) {
      if (counts[i] != 0) {
        h.recordValueWithCount(valueFromIndex(i), counts[i]);
      }
    }
    return h;
  }

  /** Upper bound of {@link #encodeInto}'s size. */
  int maxEncodedBytes() {
    return HEADER_BYTES + (maxIndex + 1) * 9;
  }

  /**
   * Writes HdrHistogram's V2 encoding (header, then ZigZag LEB128 counts up to the highest non-zero one, runs of zeros
   * as their negated length) at the buffer's position; returns the number of bytes written. Nothing is written when
   * empty (returns 0).
   */
  int encodeInto(ByteBuffer out) {
    if (totalCount == 0) {
      return 0;
    }
    int start = out.position();
    out.putInt(V2_COOKIE);
    int payloadLengthAt = out.position();
    out.putInt(0);
    out.putInt(0); // normalizing index offset
    out.putInt(SIGNIFICANT_DIGITS);
    out.putLong(1); // lowest discernible value
    out.putLong(Math.max(2, highestEquivalentValue(valueFromIndex(maxIndex))));
    out.putDouble(1.0); // integer to double value conversion ratio
    int payloadStart = out.position();
    // straight into the backing array: this runs for every store update (see the class comment)
    byte[] b = out.array();
    int at = out.arrayOffset() + payloadStart;
    if (b.length - at < (maxIndex + 1) * 9) {
      throw new IllegalArgumentException("buffer too small for the histogram encoding");
    }
    long[] c = counts;
    int limit = maxIndex + 1;
    int i = 0;
    while (i < limit) {
      long count = c[i++];
      if (count == 0) {
        int zeros = 1;
        while (i < limit && c[i] == 0) {
          zeros++;
          i++;
        }
        at = ZigZag.putLong(b, at, zeros > 1 ? -zeros : 0);
      } else if (count > 0 && count < 64) {
        b[at++] = (byte) (count << 1); // one-byte ZigZag: the common case
      } else {
        at = ZigZag.putLong(b, at, count);
      }
    }
    out.position(at - out.arrayOffset());
    out.putInt(payloadLengthAt, out.position() - payloadStart);
    return out.position() - start;
  }

  /**
   * Reads a V2 encoding of exactly {@code length} bytes at the buffer's position (written by {@link #encodeInto} or by
   * HdrHistogram for the same layout) and advances past it.
   *
   * @throws IllegalArgumentException if it is not such an encoding
   */
  static LatencyCounts decode(ByteBuffer in, int length) {
    int end = in.position() + length;
    if (length < HEADER_BYTES || in.getInt() != V2_COOKIE) {
      throw new IllegalArgumentException("not an HdrHistogram V2 encoding");
    }
    int payloadLength = in.getInt();
    int normalizingIndexOffset = in.getInt();
    int digits = in.getInt();
    long lowest = in.getLong();
    long highest = in.getLong();
    in.getDouble();
    if (normalizingIndexOffset != 0 || digits != SIGNIFICANT_DIGITS || lowest != 1 || highest < 2
        || payloadLength != end - in.position()) {
      throw new IllegalArgumentException("unexpected histogram layout (offset " + normalizingIndexOffset + ", digits "
          + digits + ", lowest " + lowest + ", highest " + highest + ", payload " + payloadLength + ")");
    }
    long[] counts = new long[lengthFor(index(highest))];
    LatencyCounts result = new LatencyCounts(counts);
    int index = 0;
    while (in.position() < end) {
      long count = ZigZag.getLong(in);
      if (count < 0) {
        if (-count > counts.length - index) {
          throw new IllegalArgumentException("zero run past the histogram's range");
        }
        index += (int) -count;
        continue;
      }
      if (index >= counts.length) {
        throw new IllegalArgumentException("count past the histogram's range");
      }
      if (count != 0) {
        counts[index] = count;
        result.totalCount += count;
        result.maxIndex = index;
      }
      index++;
    }
    if (in.position() != end) {
      throw new IllegalArgumentException("histogram payload overruns its length");
    }
    return result;
  }

  /** HdrHistogram's {@code countsArrayIndex} for this layout. */
  static int index(long value) {
    int bucketIndex = LEADING_ZERO_COUNT_BASE - Long.numberOfLeadingZeros(value | SUB_BUCKET_MASK);
    int subBucketIndex = (int) (value >>> bucketIndex);
    return ((bucketIndex + 1) << SUB_BUCKET_HALF_COUNT_MAGNITUDE) + subBucketIndex - SUB_BUCKET_HALF_COUNT;
  }

  /** Lowest value of the bucket at {@code index} (HdrHistogram's {@code valueFromIndex}). */
  static long valueFromIndex(int index) {
    int bucketIndex = (index >> SUB_BUCKET_HALF_COUNT_MAGNITUDE) - 1;
    int subBucketIndex = (index & (SUB_BUCKET_HALF_COUNT - 1)) + SUB_BUCKET_HALF_COUNT;
    if (bucketIndex < 0) {
      subBucketIndex -= SUB_BUCKET_HALF_COUNT;
      bucketIndex = 0;
    }
    return ((long) subBucketIndex) << bucketIndex;
  }

  /** Highest value equivalent to {@code value} (the top of its bucket). */
  static long highestEquivalentValue(long value) {
    int bucketIndex = LEADING_ZERO_COUNT_BASE - Long.numberOfLeadingZeros(value | SUB_BUCKET_MASK);
    long lowest = (value >>> bucketIndex) << bucketIndex;
    return lowest + (1L << bucketIndex) - 1;
  }

  /** Counts-array length of an HdrHistogram of this layout whose range includes the bucket at {@code index}. */
  private static int lengthFor(int index) {
    int length = MIN_LENGTH;
    while (length <= index) {
      length += SUB_BUCKET_HALF_COUNT;
    }
    return length;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof LatencyCounts)) {
      return false;
    }
    LatencyCounts l = (LatencyCounts) o;
    if (totalCount != l.totalCount || maxIndex != l.maxIndex) {
      return false;
    }
    return Arrays.equals(counts, 0, maxIndex + 1, l.counts, 0, maxIndex + 1);
  }

  @Override
  public int hashCode() {
    int h = Long.hashCode(totalCount);
    for (int i = 0; i <= maxIndex; i++) {
      h = 31 * h + Long.hashCode(counts[i]);
    }
    return h;
  }
}
