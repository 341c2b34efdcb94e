package io.edgefleet.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgefleet.fixtures.FixtureModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import io.edgefleet.fleetctl.ExitCodes;
import io.edgefleet.fleetctl.Fleetctl;
import io.edgefleet.fixtures.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop on real components, started exactly as the demo command starts them: real Kafka (KRaft), PostgreSQL
 * and S3 server; the control plane, a quantizer worker and three agent processes; a real fixture model quantized and
 * run in the TFLite runtime; telemetry aggregated by the control plane.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FullLoopIT {

  private static final long MIN_INFERENCES = 600;

  @TempDir static Path dataDir;

  private static PlatformLauncher platform;

  @BeforeAll
  static void startPlatform() throws Exception {
    platform = new PlatformLauncher(new PlatformConfig(dataDir, 0, 3, Duration.ofMinutes(3)), ProjectLayout.detect()).start();
  }

  @AfterAll
  static void stopPlatform() throws java.io.IOException {
    if (platform != null) {
      platform.close();
    }
    // keep the processes' logs (the temporary directory is deleted): target/full-loop-logs
    Path logs = dataDir.resolve("logs");
    if (Files.isDirectory(logs)) {
      Path kept = Files.createDirectories(Path.of("target", "full-loop-logs"));
      try (var files = Files.list(logs)) {
        for (Path f : files.toList()) {
          Files.copy(f, kept.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  @Test
  @Order(1)
  void shouldRollOutDeviceSpecificBuildsAndReportRealTelemetry() throws Exception {
    DemoScenario.Outcome outcome = new DemoScenario(platform).run(FixtureModel.FASHION_CNN, 0.02, Duration.ofMinutes(6));
    System.out.println(DemoScenario.report(outcome));

    // the planner: the int8-only NPU gets full int8, the fp16 GPU float16, the CPU the smallest plan within the SLO
    assertThat(outcome.builds()).extracting(DemoScenario.BuildFigures::mode).contains("FULL_INT8", "FLOAT16");
    assertThat(outcome.builds()).extracting(DemoScenario.BuildFigures::mode)
        .allMatch(m -> List.of("FULL_INT8", "FLOAT16", "MIXED").contains(m));
    assertThat(outcome.builds().stream().mapToInt(DemoScenario.BuildFigures::devices).sum()).isEqualTo(3);
    // device accuracy is measured on the eval samples served so far: wait for enough of them that the comparison with
    // the worker's figure on the whole eval set is statistically meaningful
    OperatorClient operator = platform.operatorClient();
    AtomicReference<List<DemoScenario.BuildFigures>> latest = new AtomicReference<>(outcome.builds());
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).until(() -> {
      latest.set(DemoScenario.figures(operator.get("/api/telemetry/summary")));
      return latest.get().stream().filter(b -> b.devices() > 0).allMatch(b -> b.deviceInferences() >= MIN_INFERENCES);
    });
    for (DemoScenario.BuildFigures b : latest.get()) {
      if (b.devices() == 0) {
        continue;
      }
      assertThat(b.deviceInferences()).as("inferences of %s", b.mode()).isGreaterThanOrEqualTo(MIN_INFERENCES);
      assertThat(b.deviceP50Micros()).isPositive();
      assertThat(b.deviceP95Micros()).isGreaterThanOrEqualTo(b.deviceP50Micros());
      assertThat(b.deviceAgreement()).as("agreement with float of %s", b.mode()).isGreaterThan(0.95);
      // the worker measured the same build on the whole eval set; the devices on a part of it: binomial tolerance
      double p = b.buildTop1();
      double tolerance = 4 * Math.sqrt(p * (1 - p) / b.deviceInferences()) + 0.005;
      assertThat(b.deviceTop1()).as("device top-1 of %s vs worker top-1 %.4f", b.mode(), p)
          .isBetween(p - tolerance, p + tolerance);
      assertThat(p).as("worker top-1 of %s vs float", b.mode()).isGreaterThan(b.floatTop1() - 0.02);
    }
    // every device profiles its served build per operator (profile.interval in the launcher's agent config): each
    // build's per-operator view has its device's operators, with times that add up to its share of the whole
    for (DemoScenario.BuildFigures b : latest.get()) {
      if (b.devices() == 0) {
        continue;
      }
      AtomicReference<JsonNode> ops = new AtomicReference<>();
      await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).until(() -> {
        ops.set(operator.get("/api/telemetry/builds/" + b.buildKey() + "/ops"));
        return ops.get().path("classes").size() > 0;
      });
      JsonNode c = ops.get().path("classes").get(0);
      assertThat(c.path("devices").asInt()).isEqualTo(1);
      assertThat(c.path("ops").size()).as("operators profiled on %s", b.mode()).isPositive();
      assertThat(c.path("totalMedianMicros").asDouble()).isPositive();
      double shares = 0;
      for (JsonNode op : c.path("ops")) {
        shares += op.path("share").asDouble();
      }
      assertThat(shares).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-6));
      // the closed latency loop: the class's latency table for this model is now in device time
      String hc = c.path("hardwareClass").asText();
      JsonNode plan = operator.get("/api/models/" + outcome.modelId() + "/plans?hardwareClass=" + hc
          + "&maxAccuracyDrop=0.02");
      assertThat(plan.path("explanation").path("predicted").path("latencyHost").asText())
          .as("latency basis of %s", hc).startsWith("devices of " + hc);
    }
    DemoScenario.BuildFigures int8 =
        outcome.builds().stream().filter(b -> b.mode().equals("FULL_INT8")).findFirst().orElseThrow();
    assertThat(int8.sizeBytes() * 3.5).isLessThanOrEqualTo(int8.floatSizeBytes());

    JsonNode rollout = operator.get("/api/rollouts/" + outcome.rolloutId());
    assertThat(rollout.toString()).contains("RUNNING");
    assertThat(outcome.acceptedDevices()).hasSize(3);
    assertThat(operator.status("/")).isEqualTo(200);
    // with auth on, data needs a token: the same call without one is refused
    assertThat(new OperatorClient(platform.controlPlaneUrl()).status("/api/telemetry/summary")).isEqualTo(401);
  }

  /** The operator's CLI against the same running platform: every command a real operator would use. */
  @Test
  @Order(2)
  void shouldOperateThePlatformWithFleetctl() throws Exception {
    Path model = Files.write(dataDir.resolve("mlp.tflite"), io.edgefleet.fixtures.Fixtures.model(FixtureModel.FASHION_MLP));
    Path calibration = Files.write(dataDir.resolve("cal.efs"), Fixtures.calibrationSet());
    Path eval = Files.write(dataDir.resolve("eval.efs"), Fixtures.evalSet());

    Cli upload = fleetctl("-o", "json", "models", "upload", "fleetctl-mlp", "--model", model.toString(),
        "--calibration", calibration.toString(), "--eval", eval.toString(), "--wait", "--wait-timeout", "5m");
    assertThat(upload.code).as(upload.err).isEqualTo(ExitCodes.OK);
    String modelId = new com.fasterxml.jackson.databind.ObjectMapper().readTree(upload.out).path("id").asText();
    assertThat(modelId).isNotBlank();

    Cli models = fleetctl("models", "list");
    assertThat(models.out).contains("fleetctl-mlp", modelId);

    Cli devices = fleetctl("devices", "list", "--size", "10");
    assertThat(devices.code).isEqualTo(ExitCodes.OK);
    assertThat(devices.out).contains("3 of 3 devices");
    String someDevice = platform.fleet().get(0).deviceId();
    assertThat(fleetctl("devices", "get", someDevice).out).contains("hardware class", someDevice);

    Cli badQuery = fleetctl("devices", "list", "-q", "ramMb=gt=");
    assertThat(badQuery.code).as(badQuery.err).isEqualTo(ExitCodes.REJECTED);
    assertThat(badQuery.err).contains("HTTP 400");

    Cli viewer = fleetctlAs("viewer", "rollouts", "create", "viewer-may-not", "--model", modelId);
    assertThat(viewer.code).as(viewer.err).isEqualTo(ExitCodes.NOT_AUTHORIZED);
    assertThat(viewer.err).contains("HTTP 403");
    Cli created = fleetctl("rollouts", "create", "fleetctl-rollout", "--model", modelId, "--groups", "canary:1,100%",
        "--max-accuracy-drop", "3%", "--start");
    assertThat(created.code).as(created.err).isEqualTo(ExitCodes.OK);
    Matcher id = Pattern.compile("^(\\S+) ", Pattern.MULTILINE).matcher(created.out);
    assertThat(id.find()).as(created.out).isTrue();
    String rolloutId = id.group(1);

    Cli paused = fleetctl("rollouts", "pause", rolloutId, "--reason", "operator check");
    assertThat(paused.code).as(paused.err).isEqualTo(ExitCodes.OK);
    assertThat(paused.out).contains("PAUSED");
    Cli watchPaused = fleetctl("rollouts", "watch", rolloutId, "--interval", "1s");
    assertThat(watchPaused.code).as("watch stops on a pause").isEqualTo(ExitCodes.ROLLOUT_NOT_FINISHED);
    Cli resumed = fleetctl("rollouts", "resume", rolloutId);
    assertThat(resumed.code).as(resumed.err).isEqualTo(ExitCodes.OK);

    Cli watch = fleetctl("rollouts", "watch", rolloutId, "--interval", "1s", "--wait-timeout", "5m");
    assertThat(watch.code).as(watch.out + watch.err).isEqualTo(ExitCodes.OK);
    assertThat(watch.out).contains("FINISHED");
    Cli detail = fleetctl("rollouts", "get", rolloutId);
    assertThat(detail.out).contains("canary", "HARDWARE CLASS", "PAUSE", "RESUME");
    assertThat(fleetctl("builds", "list").out).contains("COMPLETED");
    Cli missing = fleetctl("rollouts", "get", "no-such-rollout");
    assertThat(missing.code).isEqualTo(ExitCodes.REJECTED);
    assertThat(missing.err).contains("HTTP 404");
  }

  /**
   * A plan that violates the rollout's accuracy gate, caught on real devices: the SLO given to the planner is loose
   * (50 %), so the CPU class gets its smallest plan, whose predicted disagreement with float is above the 0.2 % the
   * gate allows. The CPU device is the canary (groups follow device ids); once it has run 500 inferences with float
   * references its measured agreement fails the gate, the rollout rolls back, the CPU device returns to its previous
   * build, and no later group starts.
   */
  @Test
  @Order(3)
  void shouldCatchABadPlanWithTheAccuracyGateOnRealDevicesAndRollBack() throws Exception {
    OperatorClient operator = platform.operatorClient();
    String cpuDevice = platform.fleet().stream().filter(d -> d.acceleratorType().equals("none")).findFirst()
        .orElseThrow().deviceId();
    String previousBuild = operator.get("/api/devices/" + cpuDevice).path("currentBuildKey").asText();
    assertThat(previousBuild).as("the CPU device runs a build from the earlier rollouts").isNotBlank();
    String modelId = null;
    for (JsonNode m : operator.get("/api/models")) {
      if (m.path("name").asText().equals("fashion_cnn")) {
        modelId = m.path("id").asText();
      }
    }
    assertThat(modelId).isNotNull();

    java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("name", "too-aggressive");
    body.put("modelId", modelId);
    body.put("deviceFilter", java.util.Map.of());
    body.put("maxAccuracyDrop", 0.5);
    body.put("groups", java.util.List.of(java.util.Map.of("name", "canary", "count", 1),
        java.util.Map.of("name", "second", "count", 1), java.util.Map.of("name", "rest", "percent", 100.0)));
    body.put("gates", java.util.Map.of("maxAccuracyDrop", 0.002, "minSamples", 500));
    body.put("onBreach", "ROLLBACK");
    JsonNode created = operator.createRollout(body);
    String rolloutId = created.path("id").asText();
    String cpuClass = operator.get("/api/devices/" + cpuDevice).path("hardwareClass").asText();
    JsonNode cpuPlan = null;
    for (JsonNode c : created.path("classes")) {
      if (c.path("hardwareClass").asText().equals(cpuClass)) {
        cpuPlan = c;
      }
    }
    assertThat(cpuPlan).as("plan of the CPU class in %s", created).isNotNull();
    assertThat(cpuPlan.path("explanation").path("predicted").path("predictedLoss").asDouble())
        .as("predicted disagreement of the CPU plan, above what the gate allows").isGreaterThan(0.002);

    AtomicReference<JsonNode> view = new AtomicReference<>();
    await("gate breach and rollback").atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofSeconds(2))
        .untilAsserted(() -> {
          view.set(operator.get("/api/rollouts/" + rolloutId));
          assertThat(view.get().path("status").asText()).as("rollout %s", view.get()).isEqualTo("ROLLED_BACK");
        });
    JsonNode rollout = view.get();
    JsonNode failedGate = null;
    int breachedGroup = -1;
    for (JsonNode g : rollout.path("groups")) {
      for (JsonNode gate : g.path("gates")) {
        if (gate.path("verdict").asText().equals("FAIL")) {
          failedGate = gate;
          breachedGroup = g.path("index").asInt();
        }
      }
    }
    assertThat(failedGate).as("a failed gate in %s", rollout).isNotNull();
    assertThat(failedGate.path("gate").asText()).isEqualTo("ACCURACY");
    assertThat(failedGate.path("value").asDouble()).as("on-device agreement with float").isLessThan(0.998);
    assertThat(failedGate.path("samples").asLong()).isGreaterThanOrEqualTo(500);
    for (JsonNode g : rollout.path("groups")) {
      if (g.path("index").asInt() > breachedGroup) {
        assertThat(g.path("startedAt").isNull() || g.path("startedAt").isMissingNode())
            .as("group %s after the breach never started", g.path("name").asText()).isTrue();
      }
    }
    await("the CPU device back on its previous build").atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> operator.get("/api/devices/" + cpuDevice).path("currentBuildKey").asText().equals(previousBuild));
  }

  private record Cli(int code, String out, String err) {}

  private static Cli fleetctl(String... args) {
    return fleetctlAs("operator", args);
  }

  /** Runs fleetctl with a token of {@code role} in a token file, as an operator would keep it. */
  private static Cli fleetctlAs(String role, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Path tokenFile = dataDir.resolve("fleetctl-" + role + ".token");
    try {
      Files.writeString(tokenFile, platform.operatorTokens().mint("fleetctl-" + role, Duration.ofMinutes(30), role));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    java.util.List<String> all = new ArrayList<>(java.util.List.of("--url", platform.controlPlaneUrl().toString(),
        "--token-file", tokenFile.toString()));
    all.addAll(java.util.List.of(args));
    int code = Fleetctl.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(all.toArray(String[]::new));
    return new Cli(code, out.toString(), err.toString());
  }
}
