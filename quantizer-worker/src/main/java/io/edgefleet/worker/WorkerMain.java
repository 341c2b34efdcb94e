package io.edgefleet.worker;

import io.edgefleet.worker.config.Setting;
import io.edgefleet.worker.config.WorkerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * Process entry point: {@code java -cp target/quantizer-worker.jar:$(cat target/classpath.txt)
 * io.edgefleet.worker.WorkerMain}. Configuration comes from {@code -Dworker.*} system properties, {@code WORKER_*}
 * environment variables and an optional properties file ({@code -Dworker.config=…}); see {@link Setting}. Exit code 2
 * means invalid configuration, 1 a failure at start-up; SIGTERM stops the worker gracefully.
 */
public final class WorkerMain {
  private static final String LOGGING_CONFIG = "/io/edgefleet/worker/logging.properties";

  private WorkerMain() {}

  public static void main(String[] args) {
    configureLogging();
    Logger log = Logger.getLogger(WorkerMain.class.getName());
    if (args.length > 0 && ("--help".equals(args[0]) || "-h".equals(args[0]))) {
      printHelp();
      return;
    }
    WorkerConfig config;
    try {
      config = WorkerConfig.load();
    } catch (WorkerException e) {
      log.severe("invalid configuration: " + e.getMessage());
      System.exit(2);
      return;
    }
    log.info("configuration: " + config);
    Worker worker;
    try {
      worker = Worker.create(config);
    } catch (RuntimeException e) {
      log.log(Level.SEVERE, "worker failed to start", e);
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  worker.close();
                  try {
                    stopped.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "worker-shutdown"));
    try {
      worker.run();
    } finally {
      stopped.countDown();
    }
  }

  /** Loads the bundled JUL configuration (Kafka and HTTP client at WARNING) unless one was given on the command line. */
  static void configureLogging() {
    if (System.getProperty("java.util.logging.config.file") != null
        || System.getProperty("java.util.logging.config.class") != null) {
      return;
    }
    try (InputStream in = WorkerMain.class.getResourceAsStream(LOGGING_CONFIG)) {
      if (in != null) {
        LogManager.getLogManager().readConfiguration(in);
      }
    } catch (IOException e) {
      System.err.println("cannot load " + LOGGING_CONFIG + ": " + e);
    }
  }

  private static void printHelp() {
    StringBuilder sb = new StringBuilder("quantizer worker settings (-Dkey=value, env VAR, or a properties file):\n");
    for (Setting s : Setting.values()) {
      sb.append(String.format("  %-32s %-34s default=%s%n      %s%n", s.property(), s.environmentVariable(),
          s.defaultValue() == null ? "(required)" : s.defaultValue().isEmpty() ? "(see description)" : s.defaultValue(),
          s.description()));
    }
    System.out.print(sb);
  }
}
