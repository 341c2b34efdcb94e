package io.edgefleet.agent.telemetry;

import io.edgefleet.agent.AgentErrorCode;
import io.edgefleet.agent.AgentException;
import io.edgefleet.agent.DurableFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * A bounded, append-only, on-disk FIFO of Kafka records (the agent's outbox): every event is appended here first and
 * removed only after the broker acknowledged it, so events survive broker outages and agent restarts and are replayed
 * in order.
 *
 * <p>Layout: segment files {@code <first-record-number>.seg} of records {@code [int length][int crc32][payload]}, and
 * {@code cursor} (segment number + byte offset of the first unacknowledged record, replaced atomically). A torn record
 * at the tail (crash mid-append) is truncated on open. Bound: when the segments exceed {@code maxBytes} the oldest
 * segment is deleted and its undelivered records are counted in {@link #droppedRecords()} (drop-oldest: the newest
 * measurements are the most useful ones after an outage).
 *
 * <p>Thread-safe (all methods synchronized).
 */
public final class TelemetrySpool implements AutoCloseable {
  private static final String SUFFIX = ".seg";
  private static final String CURSOR = "cursor";
  private static final int HEADER = 8;
  private static final int MAX_RECORD = 2 << 20;

  private final Path dir;
  private final long maxBytes;
  private final long segmentBytes;
  /** segment number (= number of the first record in it) → file. */
  private final TreeMap<Long, Path> segments = new TreeMap<>();
  private FileChannel writer;
  private long writeSegment;
  private long nextRecordNumber;
  private long cursorSegment;
  private long cursorOffset;
  private long droppedRecords;
  private boolean closed;

  /** Opens (or creates) the spool in {@code dir}. */
  public TelemetrySpool(Path dir, long maxBytes) {
    this.dir = Objects.requireNonNull(dir);
    this.maxBytes = maxBytes;
    this.segmentBytes = Math.max(16 * 1024, maxBytes / 8);
    try {
      Files.createDirectories(dir);
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
        for (Path f : files) {
          String name = f.getFileName().toString();
          segments.put(Long.parseLong(name.substring(0, name.length() - SUFFIX.length())), f);
        }
      }
      readCursor();
      if (segments.isEmpty()) {
        nextRecordNumber = Math.max(cursorSegment, 0);
        openNewSegment();
      } else {
        writeSegment = segments.lastKey();
        Path last = segments.lastEntry().getValue();
        long[] scan = scan(last);
        nextRecordNumber = writeSegment + scan[0];
        writer = FileChannel.open(last, StandardOpenOption.WRITE);
        writer.truncate(scan[1]); // drop a torn tail record
        writer.position(scan[1]);
      }
      if (!segments.containsKey(cursorSegment)) {
        cursorSegment = segments.firstKey();
        cursorOffset = 0;
      }
    } catch (IOException | NumberFormatException e) {
      throw new AgentException(AgentErrorCode.SPOOL_IO_FAILED, "cannot open telemetry spool " + dir + ": " + e, e);
    }
  }

  /** Appends a record durably (fsynced). Drops the oldest segment(s) beyond the bound. */
  public synchronized void append(SpoolRecord record) {
    ensureOpen();
    byte[] payload = encode(record);
    if (payload.length > MAX_RECORD) {
      throw new AgentException(AgentErrorCode.SPOOL_IO_FAILED, "record of " + payload.length + " bytes exceeds the spool record limit");
    }
    CRC32 crc = new CRC32();
    crc.update(payload);
    ByteBuffer bb = ByteBuffer.allocate(HEADER + payload.length);
    bb.putInt(payload.length).putInt((int) crc.getValue()).put(payload).flip();
    try {
      if (writer.position() >= segmentBytes) {
        writer.close();
        openNewSegment();
      }
      while (bb.hasRemaining()) {
        writer.write(bb);
      }
      writer.force(false);
      nextRecordNumber++;
      enforceBound();
    } catch (IOException e) {
      throw new AgentException(AgentErrorCode.SPOOL_IO_FAILED, "cannot append to telemetry spool " + dir + ": " + e, e);
    }
  }

  /** Up to {@code max} undelivered records, oldest first, with the position after each. */
  public synchronized List<Pending> peek(int max) {
    ensureOpen();
    List<Pending> out = new ArrayList<>();
    long seg = cursorSegment;
    long offset = cursorOffset;
    try {
      while (out.size() < max) {
        Path file = segments.get(seg);
        if (file == null) {
          break;
        }
        long size = seg == writeSegment ? writer.position() : Files.size(file);
        if (offset >= size) {
          Long next = segments.higherKey(seg);
          if (next == null) {
            break;
          }
          seg = next;
          offset = 0;
          continue;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
          ch.position(offset);
          DataInputStream in = new DataInputStream(Channels.newInputStream(ch));
          while (out.size() < max && offset < size) {
            int len = in.readInt();
            int crc = in.readInt();
            if (len < 0 || len > MAX_RECORD) {
              throw new IOException("corrupt record length " + len + " in " + file + " at " + offset);
            }
            byte[] payload = in.readNBytes(len);
            CRC32 c = new CRC32();
            c.update(payload);
            if (payload.length != len || (int) c.getValue() != crc) {
              throw new IOException("corrupt record (crc) in " + file + " at " + offset);
            }
            offset += HEADER + len;
            out.add(new Pending(decode(payload), seg, offset));
          }
        }
      }
      return out;
    } catch (IOException e) {
      throw new AgentException(AgentErrorCode.SPOOL_IO_FAILED, "cannot read telemetry spool " + dir + ": " + e, e);
    }
  }

  /** Marks everything up to and including {@code delivered} as acknowledged; deletes fully consumed segments. */
  public synchronized void commit(Pending delivered) {
    ensureOpen();
    if (!segments.containsKey(delivered.segment)) {
      return; // its segment was dropped by the bound meanwhile
    }
    if (delivered.segment < cursorSegment || (delivered.segment == cursorSegment && delivered.nextOffset <= cursorOffset)) {
      return;
    }
    cursorSegment = delivered.segment;
    cursorOffset = delivered.nextOffset;
    try {
      while (segments.firstKey() < cursorSegment) {
        Files.deleteIfExists(segments.pollFirstEntry().getValue());
      }
      writeCursor();
    } catch (IOException e) {
      throw new AgentException(AgentErrorCode.SPOOL_IO_FAILED, "cannot commit telemetry spool cursor: " + e, e);
    }
  }

  /** Records dropped by the size bound since this spool was opened. */
  public synchronized long droppedRecords() {
    return droppedRecords;
  }

  /** Bytes currently held on disk. */
  public synchronized long sizeBytes() {
    long total = 0;
    try {
      for (var e : segments.entrySet()) {
        total += e.getKey() == writeSegment ? writer.position() : Files.size(e.getValue());
      }
    } catch (IOException e) {
      throw new AgentException(AgentErrorCode.SPOOL_IO_FAILED, "cannot size telemetry spool: " + e, e);
    }
    return total;
  }

  /** Whether undelivered records exist. */
  public synchronized boolean isEmpty() {
    return peek(1).isEmpty();
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      try {
        writer.close();
      } catch (IOException e) {
        throw new AgentException(AgentErrorCode.SPOOL_IO_FAILED, "cannot close telemetry spool: " + e, e);
      }
    }
  }

  private void enforceBound() throws IOException {
    while (segments.size() > 1 && sizeBytes() > maxBytes) {
      var oldest = segments.pollFirstEntry();
      long undelivered = countFrom(oldest.getValue(), oldest.getKey() == cursorSegment ? cursorOffset : 0);
      if (oldest.getKey() < cursorSegment) {
        undelivered = 0;
      }
      droppedRecords += undelivered;
      Files.deleteIfExists(oldest.getValue());
      if (oldest.getKey() >= cursorSegment) {
        cursorSegment = segments.firstKey();
        cursorOffset = 0;
        writeCursor();
      }
    }
  }

  private long countFrom(Path file, long offset) throws IOException {
    long validBytes = scan(file)[1];
    // count the complete records that start at or after offset
    long count = 0;
    long pos = 0;
    try (InputStream raw = Files.newInputStream(file); DataInputStream in = new DataInputStream(raw)) {
      while (pos < validBytes) {
        int len = in.readInt();
        in.readInt();
        in.skipNBytes(len);
        if (pos >= offset) {
          count++;
        }
        pos += HEADER + len;
      }
    }
    return count;
  }

  /** [number of complete valid records, byte length of the valid prefix]. */
  private static long[] scan(Path file) throws IOException {
    long count = 0;
    long valid = 0;
    try (InputStream raw = Files.newInputStream(file); DataInputStream in = new DataInputStream(raw)) {
      while (true) {
        int len;
        int crc;
        try {
          len = in.readInt();
          crc = in.readInt();
        } catch (EOFException e) {
          break;
        }
        if (len < 0 || len > MAX_RECORD) {
          break;
        }
        byte[] payload = in.readNBytes(len);
        if (payload.length != len) {
          break;
        }
        CRC32 c = new CRC32();
        c.update(payload);
        if ((int) c.getValue() != crc) {
          break;
        }
        count++;
        valid += HEADER + len;
      }
    }
    return new long[] {count, valid};
  }

  private void openNewSegment() throws IOException {
    writeSegment = nextRecordNumber;
    Path file = dir.resolve(String.format("%020d%s", writeSegment, SUFFIX));
    writer = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    writer.position(writer.size());
    segments.put(writeSegment, file);
    DurableFiles.fsync(dir);
  }

  private void readCursor() throws IOException {
    Path file = dir.resolve(CURSOR);
    if (Files.exists(file)) {
      String[] parts = Files.readString(file, StandardCharsets.US_ASCII).trim().split(":");
      cursorSegment = Long.parseLong(parts[0]);
      cursorOffset = Long.parseLong(parts[1]);
    } else {
      cursorSegment = -1;
      cursorOffset = 0;
    }
  }

  private void writeCursor() throws IOException {
    DurableFiles.writeAtomically(dir.resolve(CURSOR), (cursorSegment + ":" + cursorOffset).getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] encode(SpoolRecord r) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(r.value().length + 64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeUTF(r.topic());
      out.writeUTF(r.key());
      out.writeInt(r.value().length);
      out.write(r.value());
    } catch (IOException e) {
      throw new IllegalStateException("in-memory write failed", e);
    }
    return bytes.toByteArray();
  }

  private static SpoolRecord decode(byte[] payload) throws IOException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
      String topic = in.readUTF();
      String key = in.readUTF();
      byte[] value = in.readNBytes(in.readInt());
      return new SpoolRecord(topic, key, value);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("telemetry spool is closed");
    }
  }

  /** A record read from the spool and where the spool continues after it. */
  public static final class Pending {
    private final SpoolRecord record;
    private final long segment;
    private final long nextOffset;

    Pending(SpoolRecord record, long segment, long nextOffset) {
      this.record = record;
      this.segment = segment;
      this.nextOffset = nextOffset;
    }

    public SpoolRecord record() {
      return record;
    }
  }
}
