package io.edgefleet.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgefleet.demo.OperatorClient;
import io.edgefleet.demo.PlatformConfig;
import io.edgefleet.demo.PlatformLauncher;
import io.edgefleet.demo.ProjectLayout;
import io.edgefleet.fixtures.FixtureModel;
import io.edgefleet.fixtures.Fixtures;
import io.edgefleet.quantization.model.TfliteModel;
import io.edgefleet.schemas.Topics;
import io.edgefleet.simulator.bench.ResourceProbes;
import io.edgefleet.simulator.fleet.FleetSimulator;
import io.edgefleet.simulator.fleet.FleetStats;
import io.edgefleet.simulator.fleet.SimulatorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Soak: the platform (control plane, one quantizer worker, the local stack) with a simulated fleet under steady load
 * for a bounded time: one rollout of a new model variant after another to every simulated device while they all
 * stream telemetry. Reports events produced vs consumed, rollouts completed, resident memory of the services over
 * time, and errors; fails on lost or dead-lettered events and unfinished rollouts.
 *
 * <p>Not in the default suite: {@code ./mvnw -Psoak -pl reliability verify} (after {@code ./mvnw install
 * -DskipTests}); {@code -Dsoak.duration=PT30M} (default PT10M) and {@code -Dsoak.devices=300} (default 200).
 */
class SoakIT {
  private static final String CONTROL_PLANE_GROUP = "edgefleet-control-plane";
  private static final Duration ROLLOUT_TIMEOUT = Duration.ofMinutes(5);

  @TempDir static Path dataDir;

  /**
   * One sample after a rollout: resident memory of the services, database size, and how long the telemetry summary
   * (every build, every class) took to answer.
   */
  record MemorySample(Duration at, long controlPlaneBytes, long workerBytes, long databaseBytes, long summaryMillis) {}

  @Test
  void shouldRunRolloutsAndTelemetryForTheWholeDurationWithoutLosingAnything() throws Exception {
    Duration duration = Duration.parse(System.getProperty("soak.duration", "PT10M"));
    int devices = Integer.getInteger("soak.devices", 200);
    Instant start = Instant.now();
    List<MemorySample> memory = new ArrayList<>();
    List<Duration> rolloutTimes = new ArrayList<>();
    Map<String, Object> report = new LinkedHashMap<>();

    try (PlatformLauncher platform =
        new PlatformLauncher(new PlatformConfig(dataDir, 0, 0, Duration.ofMinutes(3)), ProjectLayout.detect()).start()) {
      OperatorClient operator = platform.operatorClient();
      SimulatorConfig config =
          SimulatorConfig.defaults(platform.controlPlaneUrl(), platform.stack().kafkaBootstrapServers())
              .withHardwareClasses(2)
              .withTelemetryInterval(Duration.ofSeconds(5))
              .withVerifyDownloadFraction(0.02)
              .withTrustedPublicKey(platform.publicKey());
      FleetStats finalStats;
      try (FleetSimulator fleet = FleetSimulator.start(config)) {
        fleet.addDevices(devices, operator::preauthorize);
        await("registrations").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
            .until(() -> fleet.stats().registered() == devices);

        int cycle = 0;
        while (Duration.between(start, Instant.now()).compareTo(duration) < 0) {
          cycle++;
          String modelId = uploadVariant(operator, cycle);
          Instant t0 = Instant.now();
          String rolloutId = createRollout(operator, modelId, "soak-" + cycle);
          awaitFinished(platform, operator, rolloutId);
          rolloutTimes.add(Duration.between(t0, Instant.now()));
          memory.add(sample(platform, operator, Duration.between(start, Instant.now())));
          System.out.printf("soak cycle %d: rollout FINISHED in %d s, %s%n", cycle,
              rolloutTimes.get(rolloutTimes.size() - 1).toSeconds(), memory.get(memory.size() - 1));
        }
        finalStats = fleet.stats();
      }

      // the fleet is stopped: everything it produced must now be consumed, counted once, and nothing dead-lettered
      TopicAudit audit = new TopicAudit(platform.stack().kafkaBootstrapServers());
      Map<TopicPartition, Long> telemetryEnd = audit.endOffsets(Topics.TELEMETRY);
      Map<TopicPartition, Long> feedbackEnd = audit.endOffsets(Topics.DEVICE_FEEDBACK);
      audit.awaitConsumed(CONTROL_PLANE_GROUP, Topics.TELEMETRY, telemetryEnd, Duration.ofMinutes(3));
      audit.awaitConsumed(CONTROL_PLANE_GROUP, Topics.DEVICE_FEEDBACK, feedbackEnd, Duration.ofMinutes(3));
      TopicAudit.TelemetryLedger ledger = audit.readTelemetry(telemetryEnd);
      long counted = fleetInferences(operator);
      List<String> deadLetters = new ArrayList<>();
      for (String topic : List.of(Topics.TELEMETRY, Topics.DEVICE_FEEDBACK, Topics.BUILD_RESULTS,
          Topics.ANALYSIS_RESULTS, Topics.BUILD_REQUESTS, Topics.ANALYSIS_REQUESTS)) {
        deadLetters.addAll(audit.deadLetterReasons(topic));
      }
      long errorLines = errorLines(platform.controlPlaneProcess().logFile())
          + errorLines(platform.workerProcess().logFile());

      report.put("duration", Duration.between(start, Instant.now()).toSeconds() + " s, " + devices
          + " simulated devices, telemetry every 5 s");
      report.put("rollouts completed", rolloutTimes.size() + " (each a new model variant to every device), time to "
          + "FINISHED median " + median(rolloutTimes).toSeconds() + " s, max "
          + rolloutTimes.stream().max(Duration::compareTo).orElse(Duration.ZERO).toSeconds() + " s");
      report.put("telemetry produced vs consumed", finalStats.telemetrySent() + " batches sent by the fleet ("
          + finalStats.kafkaErrors() + " send errors), " + ledger.records + " records on the topic, "
          + ledger.duplicates + " duplicates, " + ledger.gaps.size() + " devices with sequence gaps; control plane "
          + "counted " + counted + " inferences vs " + ledger.distinctInferences + " in distinct batches");
      report.put("device feedback", finalStats.feedbackSent() + " events sent, all consumed by the control plane");
      report.put("dead-lettered records", Integer.toString(deadLetters.size()));
      report.put("fleet errors", finalStats.failed() + " failed devices, " + finalStats.httpErrors() + " HTTP errors, "
          + finalStats.registrationErrors() + " registration errors");
      report.put("ERROR log lines", errorLines + " (control plane + worker)");
      report.put("resources over the run", memoryGrowth(memory));
      writeReport(report, memory);

      assertThat(rolloutTimes).as("rollouts completed").isNotEmpty();
      assertThat(deadLetters).as("dead-lettered records").isEmpty();
      assertThat(ledger.gaps).as("telemetry sequence gaps").isEmpty();
      assertThat(counted).as("inferences counted vs distinct batches on the topic").isEqualTo(ledger.distinctInferences);
      assertThat(finalStats.failed()).as("devices that failed an install").isZero();
    }
  }

  private static MemorySample sample(PlatformLauncher platform, OperatorClient operator, Duration at)
      throws Exception {
    var stack = platform.stack();
    long t0 = System.nanoTime();
    operator.get("/api/telemetry/summary");
    long summaryMillis = (System.nanoTime() - t0) / 1_000_000;
    return new MemorySample(at,
        ResourceProbes.residentBytes(platform.controlPlaneProcess().pid()).orElse(-1),
        ResourceProbes.residentBytes(platform.workerProcess().pid()).orElse(-1),
        ResourceProbes.postgresDatabaseBytes(stack.jdbcUrl(), stack.dbUser(), stack.dbPassword()), summaryMillis);
  }

  /** Growth from the first sample (after one rollout, warm) to the last, also per hour. */
  static String memoryGrowth(List<MemorySample> memory) {
    if (memory.size() < 2) {
      return "fewer than two samples";
    }
    MemorySample first = memory.get(0);
    MemorySample last = memory.get(memory.size() - 1);
    long minutes = last.at().minus(first.at()).toMinutes();
    return String.format("from minute %d to minute %d (%d samples, one after each rollout): control plane RSS %d → %d "
            + "MiB, worker RSS %d → %d MiB, PostgreSQL database %d → %d MiB; telemetry summary answered in %d → %d ms"
            + "%s",
        first.at().toMinutes(), last.at().toMinutes(), memory.size(),
        mib(first.controlPlaneBytes()), mib(last.controlPlaneBytes()), mib(first.workerBytes()),
        mib(last.workerBytes()), mib(first.databaseBytes()), mib(last.databaseBytes()), first.summaryMillis(),
        last.summaryMillis(), minutes < 20 ? " (too short a run to call a trend: RSS includes heap not yet collected)"
            : "");
  }

  private static long mib(long bytes) {
    return bytes < 0 ? -1 : bytes >> 20;
  }

  static Duration median(List<Duration> values) {
    if (values.isEmpty()) {
      return Duration.ZERO;
    }
    List<Duration> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  private static long errorLines(Path log) throws IOException {
    try (Stream<String> lines = Files.lines(log)) {
      return lines.filter(l -> l.contains(" ERROR ") || l.startsWith("SEVERE")).count();
    }
  }

  private static void writeReport(Map<String, Object> report, List<MemorySample> memory) throws IOException {
    StringBuilder sb = new StringBuilder("# Soak run " + Instant.now() + "\n\n| measure | observed |\n|---|---|\n");
    report.forEach((k, v) -> sb.append("| ").append(k).append(" | ").append(v).append(" |\n"));
    sb.append("\n| minute | control plane RSS MiB | worker RSS MiB | database MiB | telemetry summary ms |\n"
        + "|---|---|---|---|---|\n");
    for (MemorySample m : memory) {
      sb.append("| ").append(m.at().toMinutes()).append(" | ").append(mib(m.controlPlaneBytes())).append(" | ")
          .append(mib(m.workerBytes())).append(" | ").append(mib(m.databaseBytes())).append(" | ")
          .append(m.summaryMillis()).append(" |\n");
    }
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "soak-report.md"), sb.toString());
    System.out.println(sb);
  }

  /** Uploads a new variant of the MLP fixture (same graph and weights, another description, so a new sha256). */
  private static String uploadVariant(OperatorClient operator, int variant) throws Exception {
    var model = TfliteModel.parse(Fixtures.model(FixtureModel.FASHION_MLP)).copyModelT();
    model.setDescription("soak variant " + variant);
    JsonNode created = operator.uploadModel("soak-" + variant, TfliteModel.serialize(model),
        Fixtures.calibrationSet(), Fixtures.evalSet());
    String id = created.path("id").asText();
    await("analysis of " + id).atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
        .until(() -> operator.get("/api/models/" + id).path("analysisStatus").asText().equals("READY"));
    return id;
  }

  private static String createRollout(OperatorClient operator, String modelId, String name) throws Exception {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("modelId", modelId);
    body.put("deviceFilter", Map.of("attributes", Map.of("simulated", "true")));
    body.put("maxAccuracyDrop", 0.05);
    return operator.createRollout(body).path("id").asText();
  }

  private static void awaitFinished(PlatformLauncher platform, OperatorClient operator, String rolloutId) {
    AtomicReference<JsonNode> last = new AtomicReference<>();
    await("rollout " + rolloutId + " FINISHED").atMost(ROLLOUT_TIMEOUT).pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> {
          platform.requireAllAlive();
          last.set(operator.get("/api/rollouts/" + rolloutId));
          assertThat(last.get().path("status").asText()).as("rollout %s", last.get()).isEqualTo("FINISHED");
        });
    assertThat(last.get().path("succeeded").asInt()).isEqualTo(last.get().path("total").asInt());
  }

  private static long fleetInferences(OperatorClient operator) throws Exception {
    long total = 0;
    for (JsonNode b : operator.get("/api/telemetry/summary")) {
      total += b.path("fleet").path("inferences").asLong();
    }
    return total;
  }
}
