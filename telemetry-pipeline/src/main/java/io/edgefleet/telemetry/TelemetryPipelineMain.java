package io.edgefleet.telemetry;

import io.edgefleet.telemetry.config.Setting;
import io.edgefleet.telemetry.config.TelemetryPipelineConfig;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Entry point of the telemetry pipeline deployable: {@code java -cp telemetry-pipeline.jar:… 
 * io.edgefleet.telemetry.TelemetryPipelineMain}, configured by system properties / environment (see {@link Setting}).
 * Exits 0 after SIGTERM/SIGINT (graceful close), 1 if the stream fails, 2 on invalid configuration or failed start.
 */
public final class TelemetryPipelineMain {
  private static final System.Logger LOG = System.getLogger(TelemetryPipelineMain.class.getName());

  private TelemetryPipelineMain() {}

  public static void main(String[] args) {
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
      printHelp();
      return;
    }
    TelemetryPipeline pipeline;
    try {
      pipeline = TelemetryPipeline.start(TelemetryPipelineConfig.load());
    } catch (TelemetryPipelineException e) {
      LOG.log(Level.ERROR, "telemetry pipeline did not start: " + e.getMessage(), e);
      System.exit(2);
      return;
    }
    AtomicBoolean stopping = new AtomicBoolean();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stopping.set(true);
      LOG.log(Level.INFO, "shutting down the telemetry pipeline");
      pipeline.close();
    }, "telemetry-shutdown"));
    KafkaStreams.State end = pipeline.terminated().join();
    if (!stopping.get()) {
      LOG.log(Level.ERROR, "telemetry stream stopped unexpectedly in state " + end);
      pipeline.close();
      System.exit(1);
    }
  }

  private static void printHelp() {
    StringBuilder sb = new StringBuilder("Telemetry pipeline settings (system property / environment variable):\n");
    for (Setting s : Setting.values()) {
      sb.append(String.format("  %-38s %-38s default %s%n      %s%n", s.property(), s.environmentVariable(),
          s.defaultValue() == null ? "(required)" : s.defaultValue().isEmpty() ? "(computed)" : s.defaultValue(),
          s.description()));
    }
    System.out.print(sb);
  }
}
