package io.edgefleet.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A platform component running as its own JVM, with output captured to a log file. Closing it asks the process to
 * stop (SIGTERM) and kills it if it does not within the grace period.
 */
public final class ChildProcess implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(ChildProcess.class.getName());
  private static final Duration GRACE = Duration.ofSeconds(20);

  private final String name;
  private final Process process;
  private final Path logFile;

  private ChildProcess(String name, Process process, Path logFile) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
  }

  /**
   * Starts {@code java <jvmArgs> <mainArgs>} with the current JVM's {@code java} binary.
   *
   * @param jvmAndMainArgs everything after {@code java}
   */
  public static ChildProcess startJava(String name, List<String> jvmAndMainArgs, Path logFile, Path workDir) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmAndMainArgs);
    Files.createDirectories(logFile.getParent());
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    Process p = pb.start();
    LOG.info(() -> "started " + name + " (pid " + p.pid() + "), log: " + logFile);
    ChildProcess child = new ChildProcess(name, p, logFile);
    Runtime.getRuntime().addShutdownHook(new Thread(child::destroyQuietlyForShutdown, "stop-" + name));
    return child;
  }

  public String name() {
    return name;
  }

  public Path logFile() {
    return logFile;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /** Fails with the tail of the log if the process has exited. */
  public void requireAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          name + " exited with code " + process.exitValue() + "; last log lines:\n" + tail(40));
    }
  }

  /** The last {@code lines} lines of the log, for error messages. */
  public String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(logFile);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  /** Kills the process at once (SIGKILL: no shutdown hooks, no flushing), as a crash or an OOM-killer would. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException(name + " (pid " + process.pid() + ") survived SIGKILL for 30 s");
    }
    LOG.info(() -> "killed " + name + " (pid " + process.pid() + ")");
  }

  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warning(() -> name + " did not stop within " + GRACE + "; killing it");
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private void destroyQuietlyForShutdown() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
