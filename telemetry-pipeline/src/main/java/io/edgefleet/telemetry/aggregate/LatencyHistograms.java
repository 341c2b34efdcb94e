package io.edgefleet.telemetry.aggregate;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import org.HdrHistogram.Histogram;

/** Encoding and decoding of compressed HdrHistograms (microseconds). */
public final class LatencyHistograms {
  /** Significant decimal digits of the aggregate histograms (same as the agents'). */
  public static final int SIGNIFICANT_DIGITS = 3;

  private LatencyHistograms() {}

  /** An empty auto-resizing histogram to merge into. */
  public static Histogram empty() {
    Histogram h = new Histogram(SIGNIFICANT_DIGITS);
    h.setAutoResize(true);
    return h;
  }

  /**
   * Decodes the base64 compressed histogram carried by telemetry.
   *
   * @throws IllegalArgumentException if the text is not base64 of a compressed HdrHistogram
   */
  public static Histogram decodeBase64(String base64) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("latency histogram is not base64: " + e.getMessage(), e);
    }
    return decode(bytes);
  }

  /**
   * Decodes the base64 compressed histogram carried by telemetry into its non-empty buckets (what aggregates need;
   * avoids allocating the agent's full counts array).
   *
   * @throws IllegalArgumentException if the text is not base64 of a compressed HdrHistogram
   */
  public static SparseHistogram decodeBase64Sparse(String base64) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("latency histogram is not base64: " + e.getMessage(), e);
    }
    return SparseHistogram.decodeCompressed(bytes);
  }

  /**
   * Decodes a compressed histogram (HdrHistogram's standard compressed encoding).
   *
   * @throws IllegalArgumentException if the bytes are not a compressed HdrHistogram
   */
  public static Histogram decode(byte[] compressed) {
    try {
      Histogram h = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(compressed), 0);
      h.setAutoResize(true);
      return h;
    } catch (DataFormatException | RuntimeException e) {
      throw new IllegalArgumentException("latency histogram is not a compressed HdrHistogram: " + e.getMessage(), e);
    }
  }

  /** Compressed encoding (fastest deflate level: stores are rewritten on every update). */
  public static byte[] encode(Histogram h) {
    ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    int length = h.encodeIntoCompressedByteBuffer(buffer, Deflater.BEST_SPEED);
    byte[] out = new byte[length];
    buffer.flip();
    buffer.get(out);
    return out;
  }

  /** Base64 of the compressed encoding, as agents send it. */
  public static String encodeBase64(Histogram h) {
    return Base64.getEncoder().encodeToString(encode(h));
  }
}
