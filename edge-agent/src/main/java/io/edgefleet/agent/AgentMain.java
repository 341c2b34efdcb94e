package io.edgefleet.agent;

import io.edgefleet.agent.config.AgentConfig;
import io.edgefleet.agent.config.AgentConfigLoader;
import io.edgefleet.agent.config.ConfigKey;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Command line entry point: {@code java -cp edge-agent.jar:<deps> io.edgefleet.agent.AgentMain --config agent.properties}.
 * Runs until the process is stopped (SIGTERM/SIGINT close the agent cleanly).
 */
public final class AgentMain {
  /** Kept referenced: java.util.logging holds loggers weakly, a collected logger would lose its level. */
  private static final Logger KAFKA_LOGGER = Logger.getLogger("org.apache.kafka");

  private AgentMain() {}

  public static void main(String[] args) throws InterruptedException {
    Path configFile = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        configFile = Path.of(args[++i]);
      } else if (args[i].startsWith("--config=")) {
        configFile = Path.of(args[i].substring("--config=".length()));
      } else if (args[i].equals("--help") || args[i].equals("-h")) {
        usage();
        return;
      } else {
        System.err.println("unknown argument: " + args[i]);
        usage();
        System.exit(2);
      }
    }
    if (System.getProperty("java.util.logging.config.file") == null) {
      // the Kafka client is chatty at INFO; its warnings (broker unreachable, ...) still show
      KAFKA_LOGGER.setLevel(Level.WARNING);
    }
    AgentConfig config;
    try {
      config = AgentConfigLoader.load(configFile);
    } catch (AgentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Agent agent = Agent.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  agent.close();
                  stopped.countDown();
                },
                "edge-agent-shutdown"));
    stopped.await();
  }

  private static void usage() {
    StringBuilder b = new StringBuilder("usage: AgentMain [--config agent.properties]\n\nconfiguration keys "
        + "(file, env " + ConfigKey.ENV_PREFIX + "*, -D" + ConfigKey.SYSTEM_PROPERTY_PREFIX + "*):\n");
    for (ConfigKey k : ConfigKey.values()) {
      b.append(String.format("  %-26s %-12s %s%n", k.key(), k.defaultValue() == null ? "" : k.defaultValue(), k.description()));
    }
    b.append("  attributes.<name>           free-form device attributes\n");
    b.append("  kafka.producer.<property>   Kafka producer overrides\n");
    System.out.print(b);
  }
}
