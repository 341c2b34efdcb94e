package io.edgefleet.telemetry.aggregate;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.TreeSet;

/**
 * Mergeable count of distinct device ids: exact (the ids themselves) up to {@value #EXACT_LIMIT} devices, then a
 * HyperLogLog sketch with 2^{@value #PRECISION} one-byte registers (4 KiB, standard error about 1.6%). Merging two
 * counters gives the count of the union, so per-partition or per-class aggregates can be combined at query time.
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
      exact.add(deviceId);
      if (exact.size() > EXACT_LIMIT) {
        toSketch();
      }
    } else {
      offer(registers, deviceId);
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
    return new DistinctDevices(
        exact == null ? null : new TreeSet<>(exact), registers == null ? null : registers.clone());
  }

  void write(DataOutput out) throws IOException {
    if (exact != null) {
      out.writeByte(0);
      out.writeInt(exact.size());
      for (String id : exact) {
        byte[] b = id.getBytes(StandardCharsets.UTF_8);
        out.writeShort(b.length);
        out.write(b);
      }
    } else {
      out.writeByte(1);
      out.write(registers);
    }
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
  }

  private static void offer(byte[] registers, String id) {
    long h = hash(id);
    int index = (int) (h >>> (64 - PRECISION));
    long rest = h << PRECISION;
    int rank = rest == 0 ? 64 - PRECISION + 1 : Long.numberOfLeadingZeros(rest) + 1;
    if (rank > registers[index]) {
      registers[index] = (byte) rank;
    }
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
