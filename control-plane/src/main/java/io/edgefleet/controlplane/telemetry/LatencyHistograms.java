package io.edgefleet.controlplane.telemetry;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/** Decoding of the base64 compressed HdrHistograms (microseconds) carried by telemetry. */
public final class LatencyHistograms {
  /** Significant decimal digits of merged histograms. */
  public static final int SIGNIFICANT_DIGITS = 3;

  private LatencyHistograms() {}

  /**
   * Decodes one histogram.
   *
   * @throws IllegalArgumentException if the text is not base64 of a compressed HdrHistogram
   */
  public static Histogram decode(String base64) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("latency histogram is not base64: " + e.getMessage(), e);
    }
    try {
      return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0);
    } catch (DataFormatException | RuntimeException e) {
      throw new IllegalArgumentException("latency histogram is not a compressed HdrHistogram: " + e.getMessage(), e);
    }
  }

  /** Encodes a histogram the way agents do (compressed, base64). */
  public static String encode(Histogram h) {
    ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    int length = h.encodeIntoCompressedByteBuffer(buffer);
    byte[] out = new byte[length];
    buffer.flip();
    buffer.get(out);
    return Base64.getEncoder().encodeToString(out);
  }

  /** An empty auto-resizing histogram to merge into. */
  public static Histogram empty() {
    Histogram h = new Histogram(SIGNIFICANT_DIGITS);
    h.setAutoResize(true);
    return h;
  }
}
