package io.edgefleet.telemetry.aggregate;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.TreeSet;

/**
 * Mergeable count of distinct device ids: exact (the ids themselves) up to {@value #EXACT_LIMIT} devices, then a
 * HyperLogLog sketch with 2^{@value #PRECISION} one-byte registers (4 KiB, standard error about 1.6%). Merging two
 * counters gives the count of the union, so per-partition or per-class aggregates can be combined at query time.
 *
 * <p>The binary encoding ({@link #encoded()}) is cached until the next change: once a fleet's devices have all been
 * seen, adding a device already counted changes nothing and the aggregate is re-serialised without re-encoding its ids.
 *
 * <p>Not thread-safe; instances live inside one aggregate.
 */
public final class DistinctDevices {
  /** Largest number of ids kept exactly. */
  public static final int EXACT_LIMIT = 256;
  /** HyperLogLog precision (number of index bits). */
  public static final int PRECISION = 12;

  private static final int REGISTERS = 1 << PRECISION;

  private TreeSet<String> exact;
  private byte[] registers;
  /** {@link #encoded()} of the current content, null when it changed since (never modified once set). */
  private byte[] encoded;

  private DistinctDevices(TreeSet<String> exact, byte[] registers) {
    this.exact = exact;
    this.registers = registers;
  }

  /** An empty counter. */
  public static DistinctDevices empty() {
    return new DistinctDevices(new TreeSet<>(), null);
  }

  /** Counts {@code deviceId}. */
  public void add(String deviceId) {
    if (exact != null) {
      if (exact.add(deviceId)) {
        encoded = null;
        if (exact.size() > EXACT_LIMIT) {
          toSketch();
        }
      }
    } else if (offer(registers, deviceId)) {
      encoded = null;
    }
  }

  /** Adds every device counted by {@code other} (union). */
  public void merge(DistinctDevices other) {
    if (other.exact != null) {
      for (String id : other.exact) {
        add(id);
      }
      return;
    }
    if (exact != null) {
      toSketch();
    }
    for (int i = 0; i < REGISTERS; i++) {
      if (other.registers[i] > registers[i]) {
        registers[i] = other.registers[i];
        encoded = null;
      }
    }
  }

  /** Whether {@link #count()} is exact (at most {@value #EXACT_LIMIT} devices seen). */
  public boolean isExact() {
    return exact != null;
  }

  /** Number of distinct devices (estimated once more than {@value #EXACT_LIMIT} were seen). */
  public long count() {
    if (exact != null) {
      return exact.size();
    }
    double sum = 0;
    int zeros = 0;
    for (byte r : registers) {
      sum += Math.scalb(1.0, -r);
      if (r == 0) {
        zeros++;
      }
    }
    double alpha = 0.7213 / (1 + 1.079 / REGISTERS);
    double estimate = alpha * REGISTERS * (double) REGISTERS / sum;
    if (estimate <= 2.5 * REGISTERS && zeros > 0) {
      estimate = REGISTERS * Math.log((double) REGISTERS / zeros);
    }
    return Math.round(estimate);
  }

  /** A deep copy. */
  public DistinctDevices copy() {
    DistinctDevices c = new DistinctDevices(
        exact == null ? null : new TreeSet<>(exact), registers == null ? null : registers.clone());
    c.encoded = encoded;
    return c;
  }

  /**
   * The binary encoding: byte 0, int count, then per id (sorted) an unsigned short length and the UTF-8 bytes; or byte
   * 1 and the {@value #REGISTERS} HyperLogLog registers. Cached until the next change; do not modify the array.
   */
  byte[] encoded() {
    byte[] e = encoded;
    if (e == null) {
      e = exact != null ? encodeExact() : encodeSketch();
      encoded = e;
    }
    return e;
  }

  private byte[] encodeExact() {
    byte[][] ids = new byte[exact.size()][];
    int size = 1 + 4;
    int i = 0;
    for (String id : exact) {
      byte[] b = id.getBytes(StandardCharsets.UTF_8);
      ids[i++] = b;
      size += 2 + b.length;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put((byte) 0).putInt(ids.length);
    for (byte[] b : ids) {
      out.putShort((short) b.length).put(b);
    }
    return out.array();
  }

  private byte[] encodeSketch() {
    byte[] e = new byte[1 + REGISTERS];
    e[0] = 1;
    System.arraycopy(registers, 0, e, 1, REGISTERS);
    return e;
  }

  void write(DataOutput out) throws IOException {
    out.write(encoded());
  }

  /**
   * Reads an {@link #encoded()} value starting at the buffer's position and advances past it.
   *
   * @throws IOException if the bytes are not such an encoding
   */
  static DistinctDevices read(ByteBuffer in) throws IOException {
    int start = in.position();
    DistinctDevices d;
    try {
      int mode = in.get();
      if (mode == 0) {
        int n = in.getInt();
        if (n < 0 || n > EXACT_LIMIT) {
          throw new IOException("exact device set of size " + n);
        }
        TreeSet<String> ids = new TreeSet<>();
        for (int i = 0; i < n; i++) {
          int length = Short.toUnsignedInt(in.getShort());
          if (length > in.remaining()) {
            throw new IOException("device id of " + length + " bytes, " + in.remaining() + " left");
          }
          ids.add(new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8));
          in.position(in.position() + length);
        }
        d = new DistinctDevices(ids, null);
      } else if (mode == 1) {
        byte[] r = new byte[REGISTERS];
        in.get(r);
        d = new DistinctDevices(null, r);
      } else {
        throw new IOException("unknown distinct-devices encoding " + mode);
      }
    } catch (BufferUnderflowException e) {
      throw new IOException("truncated distinct-devices encoding", e);
    }
    byte[] e = new byte[in.position() - start];
    System.arraycopy(in.array(), in.arrayOffset() + start, e, 0, e.length);
    d.encoded = e;
    return d;
  }

  static DistinctDevices read(DataInput in) throws IOException {
    int mode = in.readByte();
    if (mode == 0) {
      int n = in.readInt();
      if (n < 0 || n > EXACT_LIMIT) {
        throw new IOException("exact device set of size " + n);
      }
      TreeSet<String> ids = new TreeSet<>();
      for (int i = 0; i < n; i++) {
        byte[] b = new byte[in.readUnsignedShort()];
        in.readFully(b);
        ids.add(new String(b, StandardCharsets.UTF_8));
      }
      return new DistinctDevices(ids, null);
    }
    if (mode == 1) {
      byte[] r = new byte[REGISTERS];
      in.readFully(r);
      return new DistinctDevices(null, r);
    }
    throw new IOException("unknown distinct-devices encoding " + mode);
  }

  private void toSketch() {
    byte[] r = new byte[REGISTERS];
    for (String id : exact) {
      offer(r, id);
    }
    registers = r;
    exact = null;
    encoded = null;
  }

  /** Offers {@code id} to the sketch; whether a register changed. */
  private static boolean offer(byte[] registers, String id) {
    long h = hash(id);
    int index = (int) (h >>> (64 - PRECISION));
    long rest = h << PRECISION;
    int rank = rest == 0 ? 64 - PRECISION + 1 : Long.numberOfLeadingZeros(rest) + 1;
    if (rank > registers[index]) {
      registers[index] = (byte) rank;
      return true;
    }
    return false;
  }

  /** 64-bit FNV-1a over the UTF-8 bytes, finished with the MurmurHash3 fmix64 avalanche. */
  static long hash(String id) {
    long h = 0xcbf29ce484222325L;
    for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof DistinctDevices)) {
      return false;
    }
    DistinctDevices d = (DistinctDevices) o;
    return exact != null ? exact.equals(d.exact) : Arrays.equals(registers, d.registers);
  }

  @Override
  public int hashCode() {
    return exact != null ? exact.hashCode() : Arrays.hashCode(registers);
  }
}
