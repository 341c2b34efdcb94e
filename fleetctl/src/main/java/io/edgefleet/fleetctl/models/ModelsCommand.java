package io.edgefleet.fleetctl.models;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgefleet.fleetctl.Fleetctl.DurationConverter;
import io.edgefleet.fleetctl.FleetCommand;
import io.edgefleet.fleetctl.FleetctlException;
import io.edgefleet.fleetctl.FleetctlException.ErrorCode;
import io.edgefleet.fleetctl.client.FleetClient;
import io.edgefleet.fleetctl.client.FleetClient.Part;
import io.edgefleet.fleetctl.output.Format;
import io.edgefleet.fleetctl.output.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fleetctl models …}: the model registry. */
@Command(name = "models", description = "Register float models and inspect their analysis and plans.",
    mixinStandardHelpOptions = true,
    subcommands = {ModelsCommand.Upload.class, ModelsCommand.ListModels.class, ModelsCommand.Get.class,
        ModelsCommand.Analysis.class, ModelsCommand.Reanalyse.class, ModelsCommand.Pareto.class,
        ModelsCommand.PlanPreview.class})
public final class ModelsCommand {

  @Command(name = "upload", description = "Register a float .tflite model version with its sample sets.")
  public static final class Upload extends FleetCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "Model name (versions count up per name).")
    String name;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "FILE", description = "Float32 .tflite file.")
    Path model;

    @Option(names = {"-c", "--calibration"}, required = true, paramLabel = "FILE",
        description = "Calibration samples (.efs).")
    Path calibration;

    @Option(names = {"-e", "--eval"}, paramLabel = "FILE", description = "Labelled evaluation samples (.efs).")
    Path eval;

    @Option(names = "--wait", description = "Wait until the worker's analysis is READY (or FAILED).")
    boolean await;

    @Option(names = "--wait-timeout", paramLabel = "DURATION", defaultValue = "10m",
        converter = DurationConverter.class, description = "Give up waiting after this long (default: ${DEFAULT-VALUE}).")
    Duration waitTimeout;

    @Override
    protected void execute() {
      List<Part> parts = new ArrayList<>();
      parts.add(Part.field("name", name));
      parts.add(Part.file("model", model.getFileName().toString(), read(model)));
      parts.add(Part.file("calibration", calibration.getFileName().toString(), read(calibration)));
      if (eval != null) {
        parts.add(Part.file("eval", eval.getFileName().toString(), read(eval)));
      }
      FleetClient client = client();
      JsonNode created = client.postMultipart("/api/models", parts);
      JsonNode shown = await ? waitForAnalysis(client, created.path("id").asText(), waitTimeout, err()) : created;
      print(shown, () -> describe(shown));
    }
  }

  @Command(name = "list", description = "List registered model versions.")
  public static final class ListModels extends FleetCommand {
    @Override
    protected void execute() {
      JsonNode models = client().get("/api/models");
      print(models, () -> {
        Table t = new Table("ID", "NAME", "VERSION", "SIZE", "OPS", "MACS", "ANALYSIS", "CREATED");
        for (JsonNode m : models) {
          t.row(m.path("id").asText(), m.path("name").asText(), m.path("version").asInt(),
              Format.bytes(m.path("sizeBytes").asLong()), m.path("operatorCount").asInt(),
              String.format("%,d", m.path("totalMacs").asLong()), Format.text(m, "analysisStatus"),
              Format.text(m, "createdAt"));
        }
        return t.render();
      });
    }
  }

  @Command(name = "get", description = "Show one model version.")
  public static final class Get extends FleetCommand {
    @Parameters(index = "0", paramLabel = "MODEL_ID")
    String id;

    @Override
    protected void execute() {
      JsonNode m = client().get("/api/models/" + id);
      print(m, () -> describe(m));
    }
  }

  @Command(name = "analysis", description = "Per-layer sensitivity, size and latency measured by the worker.")
  public static final class Analysis extends FleetCommand {
    @Parameters(index = "0", paramLabel = "MODEL_ID")
    String id;

    @Override
    protected void execute() {
      JsonNode a = client().get("/api/models/" + id + "/analysis");
      print(a, () -> AnalysisTables.layers(a));
    }
  }

  @Command(name = "reanalyse", description = "Ask the workers to analyse the model again (after a failure).")
  public static final class Reanalyse extends FleetCommand {
    @Parameters(index = "0", paramLabel = "MODEL_ID")
    String id;

    @Override
    protected void execute() {
      JsonNode a = client().post("/api/models/" + id + "/analysis", null);
      print(a, () -> "analysis of " + id + ": " + Format.text(a, "status") + System.lineSeparator());
    }
  }

  @Command(name = "pareto", description = "Size or latency vs predicted loss frontier for a hardware class.")
  public static final class Pareto extends FleetCommand {
    @Parameters(index = "0", paramLabel = "MODEL_ID")
    String id;

    @Option(names = "--hardware-class", required = true, paramLabel = "CLASS")
    String hardwareClass;

    @Option(names = "--axis", defaultValue = "size", paramLabel = "AXIS", description = "size or latency.")
    String axis;

    @Override
    protected void execute() {
      Map<String, Object> q = new LinkedHashMap<>();
      q.put("hardwareClass", hardwareClass);
      q.put("axis", axis);
      JsonNode p = client().get("/api/models/" + id + "/pareto", q);
      print(p, () -> AnalysisTables.pareto(p));
    }
  }

  @Command(name = "plan", description = "The plan the platform would choose for a hardware class, and why.")
  public static final class PlanPreview extends FleetCommand {
    @Parameters(index = "0", paramLabel = "MODEL_ID")
    String id;

    @Option(names = "--hardware-class", required = true, paramLabel = "CLASS")
    String hardwareClass;

    @Option(names = "--max-accuracy-drop", paramLabel = "FRACTION", description = "e.g. 0.02 or 2%.")
    String maxAccuracyDrop;

    @Option(names = "--max-latency", paramLabel = "TIME", description = "Latency budget, e.g. 800us or 2ms.")
    String maxLatency;

    @Override
    protected void execute() {
      Map<String, Object> q = new LinkedHashMap<>();
      q.put("hardwareClass", hardwareClass);
      q.put("maxAccuracyDrop", maxAccuracyDrop == null ? null : io.edgefleet.fleetctl.Values.fraction(maxAccuracyDrop));
      q.put("maxLatencyMicros", maxLatency == null ? null : io.edgefleet.fleetctl.Values.micros(maxLatency));
      JsonNode p = client().get("/api/models/" + id + "/plans", q);
      print(p, () -> AnalysisTables.plan(p));
    }
  }

  /** Polls {@code GET /api/models/{id}} until its analysis is READY or FAILED. */
  static JsonNode waitForAnalysis(FleetClient client, String id, Duration timeout, java.io.PrintWriter progress) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = null;
    while (true) {
      JsonNode m = client.get("/api/models/" + id);
      String status = m.path("analysisStatus").asText("UNKNOWN");
      if (!status.equals(last)) {
        progress.println("analysis of " + id + ": " + status);
        progress.flush();
        last = status;
      }
      if (status.equals("READY")) {
        return m;
      }
      if (status.equals("FAILED") || status.equals("UNKNOWN")) {
        throw new FleetctlException(ErrorCode.REQUEST_REJECTED, "analysis of model " + id + " is " + status + ": "
            + m.path("analysisError").asText(m.path("analysisMessage").asText("no detail")));
      }
      if (System.nanoTime() > deadline) {
        throw new FleetctlException(ErrorCode.TIMEOUT, "analysis of model " + id + " still " + status + " after "
            + timeout);
      }
      pause(Duration.ofSeconds(1));
    }
  }

  static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FleetctlException(ErrorCode.TIMEOUT, "interrupted while waiting", e);
    }
  }

  static String describe(JsonNode m) {
    Table t = new Table("FIELD", "VALUE");
    t.row("id", Format.text(m, "id"));
    t.row("name", Format.text(m, "name") + " v" + Format.text(m, "version"));
    t.row("sha256", Format.text(m, "sha256"));
    t.row("size", Format.bytes(m.path("sizeBytes").asLong()));
    t.row("input", m.path("inputShape").toString() + " " + Format.text(m, "inputType"));
    t.row("output", m.path("outputShape").toString());
    t.row("operators", m.path("operatorCount").asInt() + " " + m.path("opCounts").toString());
    t.row("parameters", String.format("%,d", m.path("totalParameters").asLong()));
    t.row("MACs", String.format("%,d", m.path("totalMacs").asLong()));
    t.row("calibration", m.path("calibrationSamples").asInt() + " samples");
    t.row("eval", m.path("evalSamples").asInt() + " samples");
    t.row("analysis", Format.text(m, "analysisStatus"));
    t.row("created", Format.text(m, "createdAt"));
    return t.render();
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new FleetctlException(ErrorCode.IO_ERROR, "cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
