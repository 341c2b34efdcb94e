package io.edgefleet.telemetry.aggregate;

import java.nio.ByteBuffer;

/** HdrHistogram's ZigZag LEB128 encoding of longs (at most 9 bytes, the 9th holding 8 bits). */
final class ZigZag {
  private ZigZag() {}

  static void putLong(ByteBuffer out, long value) {
    long v = (value << 1) ^ (value >> 63);
    for (int shift = 0; shift < 56; shift += 7) {
      if (v >>> (shift + 7) == 0) {
        out.put((byte) (v >>> shift));
        return;
      }
      out.put((byte) ((v >>> shift) | 0x80));
    }
    out.put((byte) (v >>> 56));
  }

  /** Writes {@code value} at {@code out[at]}; returns the index after it. {@code out} needs 9 bytes from {@code at}. */
  static int putLong(byte[] out, int at, long value) {
    long v = (value << 1) ^ (value >> 63);
    for (int shift = 0; shift < 56; shift += 7) {
      if (v >>> (shift + 7) == 0) {
        out[at++] = (byte) (v >>> shift);
        return at;
      }
      out[at++] = (byte) ((v >>> shift) | 0x80);
    }
    out[at++] = (byte) (v >>> 56);
    return at;
  }

  static long getLong(ByteBuffer in) {
    long v = in.get();
    long value = v & 0x7FL;
    if ((v & 0x80) != 0) {
      v = in.get();
      value |= (v & 0x7F) << 7;
      if ((v & 0x80) != 0) {
        v = in.get();
        value |= (v & 0x7F) << 14;
        if ((v & 0x80) != 0) {
          v = in.get();
          value |= (v & 0x7F) << 21;
          if ((v & 0x80) != 0) {
            v = in.get();
            value |= (v & 0x7F) << 28;
            if ((v & 0x80) != 0) {
              v = in.get();
              value |= (v & 0x7F) << 35;
              if ((v & 0x80) != 0) {
                v = in.get();
                value |= (v & 0x7F) << 42;
                if ((v & 0x80) != 0) {
                  v = in.get();
                  value |= (v & 0x7F) << 49;
                  if ((v & 0x80) != 0) {
                    v = in.get();
                    value |= v << 56;
                  }
                }
              }
            }
          }
        }
      }
    }
    return (value >>> 1) ^ (-(value & 1));
  }
}
