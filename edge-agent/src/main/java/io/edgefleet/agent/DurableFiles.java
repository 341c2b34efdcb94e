package io.edgefleet.agent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Crash-safe file writes: fsync data before renames, rename atomically, fsync the directory after. */
public final class DurableFiles {
  private DurableFiles() {}

  /** Writes and fsyncs {@code file} (not atomic: use for files that only matter once a later atomic write names them). */
  public static void write(Path file, byte[] bytes) throws IOException {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer bb = ByteBuffer.wrap(bytes);
      while (bb.hasRemaining()) {
        ch.write(bb);
      }
      ch.force(true);
    }
  }

  /**
   * Replaces {@code file} atomically: the content goes to {@code <file>.tmp}, is fsynced, renamed over {@code file} with
   * {@link StandardCopyOption#ATOMIC_MOVE}, and the directory is fsynced. Readers see the old or the new content, never
   * a mix, even after a crash.
   */
  public static void writeAtomically(Path file, byte[] bytes) throws IOException {
    writeAtomically(file, bytes, () -> {});
  }

  /** {@link #writeAtomically(Path, byte[])} running {@code beforeRename} once the temporary file is durable. */
  public static void writeAtomically(Path file, byte[] bytes, Runnable beforeRename) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    write(tmp, bytes);
    beforeRename.run();
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    fsync(file.toAbsolutePath().getParent());
  }

  /** fsync of a file or directory. */
  public static void fsync(Path path) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
