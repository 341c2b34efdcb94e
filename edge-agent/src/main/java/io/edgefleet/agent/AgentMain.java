package io.edgefleet.agent;

import io.edgefleet.agent.config.AgentConfig;
import io.edgefleet.agent.config.AgentConfigLoader;
import io.edgefleet.agent.config.ConfigKey;
import io.edgefleet.agent.hardware.HardwareIntrospector;
import io.edgefleet.agent.profile.OpProfile;
import io.edgefleet.agent.profile.OpProfiler;
import io.edgefleet.agent.profile.ProfileKernels;
import io.edgefleet.quantization.QuantizationException;
import io.edgefleet.quantization.runtime.TfliteRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Command line entry point: {@code java -cp edge-agent.jar:<deps> io.edgefleet.agent.AgentMain --config agent.properties}.
 * Runs until the process is stopped (SIGTERM/SIGINT close the agent cleanly).
 *
 * <p>{@code --profile model.tflite [--kernels serving|builtin] [--runs N] [--threads T]} instead profiles one model
 * per operator on this device (random inputs in [0, 1)) and prints the table: a check that the native runtime loads on
 * the device and where the model spends its time.
 */
public final class AgentMain {
  /** Kept referenced: java.util.logging holds loggers weakly, a collected logger would lose its level. */
  private static final Logger KAFKA_LOGGER = Logger.getLogger("org.apache.kafka");

  private AgentMain() {}

  public static void main(String[] args) throws InterruptedException {
    Path configFile = null;
    Path profileModel = null;
    ProfileKernels kernels = ProfileKernels.SERVING;
    int runs = 20;
    int threads = 1;
    try {
      for (int i = 0; i < args.length; i++) {
        if (args[i].equals("--config") && i + 1 < args.length) {
          configFile = Path.of(args[++i]);
        } else if (args[i].equals("--profile") && i + 1 < args.length) {
          profileModel = Path.of(args[++i]);
        } else if (args[i].equals("--kernels") && i + 1 < args.length) {
          kernels = ProfileKernels.of(args[++i]);
        } else if (args[i].equals("--runs") && i + 1 < args.length) {
          runs = Integer.parseInt(args[++i]);
        } else if (args[i].equals("--threads") && i + 1 < args.length) {
          threads = Integer.parseInt(args[++i]);
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
    } catch (IllegalArgumentException e) {
      // --runs/--threads not a number, --kernels unknown
      System.err.println("invalid argument: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (profileModel != null) {
      System.exit(profile(profileModel, kernels, runs, threads));
      return;
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

  /** Profiles one model file and prints the per-operator table; returns the exit status. */
  private static int profile(Path modelFile, ProfileKernels kernels, int runs, int threads) {
    try {
      byte[] model = Files.readAllBytes(modelFile);
      int inputSize;
      try (TfliteRunner runner = TfliteRunner.load(model, threads)) {
        inputSize = runner.inputSize();
      }
      Random random = new Random(42);
      float[][] inputs = new float[8][inputSize];
      for (float[] input : inputs) {
        for (int i = 0; i < input.length; i++) {
          input[i] = random.nextFloat();
        }
      }
      OpProfile p;
      try (OpProfiler profiler = new OpProfiler(Clock.systemUTC())) {
        p = profiler.profile(modelFile.getFileName().toString(), model, inputs, threads, kernels, runs);
      }
      System.out.println("edge-agent " + AgentVersion.current() + ", TFLite " + HardwareIntrospector.runtimeVersion() + ", "
          + System.getProperty("os.arch"));
      System.out.print(p.describe());
      return 0;
    } catch (IOException e) {
      System.err.println("cannot read " + modelFile + ": " + e);
      return 1;
    } catch (AgentException | QuantizationException | IllegalArgumentException e) {
      System.err.println("profile failed: " + e.getMessage());
      return 1;
    }
  }

  private static void usage() {
    StringBuilder b = new StringBuilder("usage: AgentMain [--config agent.properties]\n"
        + "       AgentMain --profile model.tflite [--kernels serving|builtin] [--runs 20] [--threads 1]\n"
        + "\nconfiguration keys "
        + "(file, env " + ConfigKey.ENV_PREFIX + "*, -D" + ConfigKey.SYSTEM_PROPERTY_PREFIX + "*):\n");
    for (ConfigKey k : ConfigKey.values()) {
      b.append(String.format("  %-26s %-12s %s%n", k.key(), k.defaultValue() == null ? "" : k.defaultValue(), k.description()));
    }
    b.append("  attributes.<name>           free-form device attributes\n");
    b.append("  kafka.producer.<property>   Kafka producer overrides\n");
    System.out.print(b);
  }
}
