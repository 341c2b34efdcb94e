package io.edgefleet.agent.telemetry;

import io.edgefleet.agent.AgentErrorCode;
import io.edgefleet.agent.AgentException;
import io.edgefleet.agent.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The per-device telemetry sequence, persisted so that it keeps increasing across agent restarts (consumers use it to
 * drop replayed batches). Not thread-safe: used by the serving thread only.
 */
public final class SequenceStore {
  private final Path file;
  private long last;

  public SequenceStore(Path file) {
    this.file = file;
    try {
      last = Files.exists(file) ? Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim()) : 0L;
    } catch (IOException | NumberFormatException e) {
      throw new AgentException(AgentErrorCode.SPOOL_IO_FAILED, "unreadable telemetry sequence file " + file + ": " + e, e);
    }
  }

  /** The next sequence number (durably recorded before it is returned). */
  public long next() {
    long n = last + 1;
    try {
      DurableFiles.writeAtomically(file, Long.toString(n).getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new AgentException(AgentErrorCode.SPOOL_IO_FAILED, "cannot persist telemetry sequence: " + e, e);
    }
    last = n;
    return n;
  }

  public long last() {
    return last;
  }
}
