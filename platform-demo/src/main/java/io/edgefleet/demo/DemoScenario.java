package io.edgefleet.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgefleet.fixtures.FixtureModel;
import io.edgefleet.fixtures.Fixtures;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;

/**
 * The operator's side of the demo: upload a fixture model, roll it out to the whole fleet, and wait until every
 * device reports telemetry for the build made for its hardware class.
 */
final class DemoScenario {

  private static final Logger LOG = Logger.getLogger(DemoScenario.class.getName());

  /** Figures of one build as the control plane reports them. */
  record BuildFigures(
      String buildKey, String mode, long sizeBytes, long floatSizeBytes, double workerP50Micros, double workerFloatP50Micros,
      double floatTop1, double buildTop1, long deviceInferences, int devices, double deviceP50Micros, double deviceP95Micros,
      double deviceP99Micros, double deviceTop1, double deviceAgreement) {}

  /** What the scenario observed. */
  record Outcome(String modelId, String rolloutId, Duration timeToFirstTelemetry, Duration timeToAllTelemetry, List<BuildFigures> builds,
      List<String> acceptedDevices) {}

  private final PlatformLauncher platform;
  private final OperatorClient operator;

  DemoScenario(PlatformLauncher platform) {
    this.platform = platform;
    this.operator = platform.operatorClient();
  }

  Outcome run(FixtureModel fixture, double maxAccuracyDrop, Duration timeout) throws IOException, InterruptedException {
    Instant t0 = Instant.now();
    JsonNode model = operator.uploadModel(fixture.name().toLowerCase(Locale.ROOT), Fixtures.model(fixture), Fixtures.calibrationSet(), Fixtures.evalSet());
    String modelId = model.get("id").asText();
    LOG.info(() -> "uploaded model " + modelId + " (sha256 " + model.path("sha256").asText() + ")");
    List<String> accepted = acceptPendingAgents(timeout);
    waitForDevices(timeout);
    waitForAnalysis(modelId, timeout);

    Map<String, Object> rollout = new LinkedHashMap<>();
    rollout.put("name", "demo-" + fixture.name().toLowerCase(Locale.ROOT));
    rollout.put("modelId", modelId);
    rollout.put("deviceFilter", Map.of());
    rollout.put("maxAccuracyDrop", maxAccuracyDrop);
    JsonNode created = operator.createRollout(rollout);
    String rolloutId = created.get("id").asText();
    LOG.info(() -> "created rollout " + rolloutId);

    Instant deadline = Instant.now().plus(timeout);
    Instant firstTelemetry = null;
    while (true) {
      platform.requireAllAlive();
      JsonNode summary = operator.get("/api/telemetry/summary");
      List<BuildFigures> figures = figures(summary);
      long reporting = figures.stream().filter(b -> b.deviceInferences() > 0).count();
      if (firstTelemetry == null && reporting > 0) {
        firstTelemetry = Instant.now();
        Duration ttf = Duration.between(t0, firstTelemetry);
        LOG.info(() -> "first telemetry after " + ttf.toMillis() + " ms");
      }
      JsonNode r = operator.get("/api/rollouts/" + rolloutId);
      int devicesReporting = figures.stream().mapToInt(BuildFigures::devices).sum();
      if (devicesReporting >= platform.fleet().size() && !figures.isEmpty()) {
        return new Outcome(modelId, rolloutId, Duration.between(t0, firstTelemetry), Duration.between(t0, Instant.now()), figures,
            accepted);
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("rollout did not reach every device with telemetry within " + timeout
            + "; rollout: " + r + "; telemetry: " + summary);
      }
      Thread.sleep(1000);
    }
  }

  /** The planner needs the worker's per-layer analysis before a rollout can be planned. */
  private void waitForAnalysis(String modelId, Duration timeout) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      JsonNode model = operator.get("/api/models/" + modelId);
      String status = model.path("analysisStatus").asText();
      if (status.equals("READY")) {
        LOG.info(() -> "analysis of " + modelId + " ready");
        return;
      }
      if (status.equals("FAILED")) {
        throw new IllegalStateException("analysis of " + modelId + " failed: " + model.path("analysisError"));
      }
      platform.requireAllAlive();
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("analysis of " + modelId + " still " + status + " after " + timeout);
      }
      Thread.sleep(500);
    }
  }

  /**
   * Does what an admin does for new devices: waits until every agent of the fleet has asked to enrol (its auth set is
   * PENDING: each agent generated its own key at first start) and accepts each one through the admin API.
   */
  private List<String> acceptPendingAgents(Duration timeout) throws IOException, InterruptedException {
    Set<String> waiting = new TreeSet<>();
    platform.fleet().forEach(d -> waiting.add(d.deviceId()));
    List<String> accepted = new ArrayList<>();
    Instant deadline = Instant.now().plus(timeout);
    while (!waiting.isEmpty()) {
      for (JsonNode set : operator.authSets("PENDING").path("items")) {
        String deviceId = set.path("deviceId").asText();
        if (waiting.remove(deviceId)) {
          operator.acceptAuthSet(deviceId, set.path("id").asText());
          String line = deviceId + " (key " + set.path("keyId").asText() + ")";
          accepted.add(line);
          LOG.info(() -> "admin accepted the pending enrolment of " + line);
        }
      }
      if (waiting.isEmpty()) {
        break;
      }
      platform.requireAllAlive();
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("agents " + waiting + " never asked to enrol within " + timeout);
      }
      Thread.sleep(500);
    }
    return accepted;
  }

  private void waitForDevices(Duration timeout) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      JsonNode devices = operator.get("/api/devices");
      JsonNode items = devices.has("items") ? devices.get("items") : devices;
      if (items.size() >= platform.fleet().size()) {
        return;
      }
      platform.requireAllAlive();
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("only " + items.size() + " of " + platform.fleet().size() + " devices registered");
      }
      Thread.sleep(500);
    }
  }

  /** Reads {@code GET /api/telemetry/summary}: one row per build, with the fleet aggregate under {@code fleet}. */
  static List<BuildFigures> figures(JsonNode summary) {
    List<BuildFigures> out = new ArrayList<>();
    for (JsonNode b : summary) {
      JsonNode fleet = b.path("fleet");
      out.add(
          new BuildFigures(
              b.path("buildKey").asText(),
              b.path("mode").asText(),
              b.path("quantizedSizeBytes").asLong(),
              b.path("floatSizeBytes").asLong(),
              number(b, "workerP50LatencyMicros"),
              number(b, "floatP50LatencyMicros"),
              number(b, "floatTop1"),
              number(b, "quantizedTop1"),
              fleet.path("inferences").asLong(),
              fleet.path("devices").asInt(),
              number(fleet, "p50Micros"),
              number(fleet, "p95Micros"),
              number(fleet, "p99Micros"),
              number(fleet, "top1Accuracy"),
              number(fleet, "agreementWithFloat")));
    }
    return out;
  }

  private static double number(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isNumber() ? v.asDouble() : Double.NaN;
  }

  /** A readable table of the outcome. */
  static String report(Outcome o) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "model %s, rollout %s%n", o.modelId(), o.rolloutId()));
    sb.append(String.format(Locale.ROOT, "enrolment: %d agent(s) enrolled with their own keys, pending until an admin "
        + "accepted them: %s%n", o.acceptedDevices().size(), String.join(", ", o.acceptedDevices())));
    sb.append(String.format(Locale.ROOT, "time to first telemetry: %.1f s; every device reporting after %.1f s%n",
        o.timeToFirstTelemetry().toMillis() / 1000.0, o.timeToAllTelemetry().toMillis() / 1000.0));
    sb.append(String.format(Locale.ROOT, "%-12s %-18s %10s %10s %9s %9s %8s %8s %8s %8s %8s%n",
        "build", "mode", "size B", "float B", "dev p50µs", "dev p95µs", "float p50", "build p50", "top-1", "agree", "devices"));
    for (BuildFigures b : o.builds()) {
      sb.append(String.format(Locale.ROOT, "%-12s %-18s %10d %10d %9.0f %9.0f %8.0f %8.0f %7.2f%% %7.2f%% %8d%n",
          b.buildKey().substring(0, Math.min(12, b.buildKey().length())), b.mode(), b.sizeBytes(), b.floatSizeBytes(),
          b.deviceP50Micros(), b.deviceP95Micros(), b.workerFloatP50Micros(), b.workerP50Micros(),
          100 * b.deviceTop1(), 100 * b.deviceAgreement(), b.devices()));
    }
    return sb.toString();
  }
}
