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
import io.edgefleet.localstack.Component;
import io.edgefleet.quantization.model.TfliteModel;
import io.edgefleet.schemas.Topics;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.schemas.events.BuildCompleted;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults injected into the running platform: every component is a real process (control plane, quantizer worker,
 * three edge agents) on a real Kafka (KRaft), PostgreSQL and S3 server. Each scenario rolls out a fresh variant of a
 * fixture model (same graph, different bytes, so a new build has to be made), injects one fault while the rollout and
 * the telemetry flow, and checks what was promised: the rollout finishes, every device runs the build made for it,
 * and — measured once at the end over the whole run — no telemetry batch was lost or counted twice.
 *
 * <p>Scenarios run in order on one platform; each leaves it healthy for the next. Figures go to
 * {@code target/reliability-report.md}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultToleranceIT {
  private static final Duration ROLLOUT_TIMEOUT = Duration.ofMinutes(5);
  private static final String CONTROL_PLANE_GROUP = "edgefleet-control-plane";

  @TempDir static Path dataDir;

  private static PlatformLauncher platform;
  private static OperatorClient operator;
  private static final Map<String, String> REPORT = new LinkedHashMap<>();
  private static int variant;

  @BeforeAll
  static void startPlatform() throws Exception {
    platform = new PlatformLauncher(new PlatformConfig(dataDir, 0, 3, Duration.ofMinutes(3)), ProjectLayout.detect())
        .start();
    operator = platform.operatorClient();
    // an admin accepts each agent's enrolment (every agent generated its own key at first start)
    Set<String> accepted = new HashSet<>();
    await("every agent enrolled and registered").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
        .until(() -> {
          for (JsonNode set : operator.authSets("PENDING").path("items")) {
            if (accepted.add(set.path("deviceId").asText())) {
              operator.acceptAuthSet(set.path("deviceId").asText(), set.path("id").asText());
            }
          }
          return operator.get("/api/devices").path("total").asLong() >= 3;
        });
  }

  @AfterAll
  static void stopPlatform() throws Exception {
    if (platform != null) {
      platform.close();
    }
    keepLogs();
    StringBuilder sb = new StringBuilder("# Reliability run " + Instant.now() + "\n\n| scenario | observed |\n|---|---|\n");
    REPORT.forEach((k, v) -> sb.append("| ").append(k).append(" | ").append(v).append(" |\n"));
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "reliability-report.md"), sb.toString());
    System.out.println(sb);
  }

  @Test
  @Order(1)
  void shouldFinishARolloutThroughAKafkaOutage() throws Exception {
    String modelId = uploadVariant();
    String rolloutId = createRollout(modelId, "kafka-outage");
    long before = fleetInferences();

    platform.stack().stop(Component.KAFKA);
    Instant down = Instant.now();
    try {
      // every process rides out the outage: nobody exits, the control plane still answers its REST API
      await("components alive while Kafka is down").during(Duration.ofSeconds(15)).atMost(Duration.ofSeconds(20))
          .until(() -> allAlive() && operator.status("/api/rollouts/" + rolloutId) == 200);
    } finally {
      platform.stack().start(Component.KAFKA);
    }
    Duration outage = Duration.between(down, Instant.now());

    Duration finish = awaitFinished(rolloutId);
    await("telemetry flows again").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2))
        .until(() -> fleetInferences() > before);
    REPORT.put("Kafka broker stopped " + outage.toSeconds() + " s during a rollout",
        "rollout FINISHED " + finish.toSeconds() + " s after the restart; telemetry resumed (" + (fleetInferences() - before)
            + " inferences since)");
  }

  @Test
  @Order(2)
  void shouldResumeARolloutAfterTheControlPlaneCrashes() throws Exception {
    String modelId = uploadVariant();
    String rolloutId = createRollout(modelId, "control-plane-crash");
    await("first device installing").atMost(ROLLOUT_TIMEOUT).pollInterval(Duration.ofMillis(500))
        .until(() -> rollout(rolloutId).path("counts").path("ASSIGNED").asInt()
            + rollout(rolloutId).path("counts").path("DOWNLOADING").asInt()
            + rollout(rolloutId).path("succeeded").asInt() > 0);
    String statusBefore = rollout(rolloutId).path("status").asText();

    Instant crash = Instant.now();
    platform.crashAndRestartControlPlane();
    Duration restart = Duration.between(crash, Instant.now());

    assertThat(rollout(rolloutId).path("status").asText()).isIn(statusBefore, "FINISHED");
    Duration finish = awaitFinished(rolloutId);
    JsonNode history = rollout(rolloutId).path("history");
    long starts = 0;
    for (JsonNode h : history) {
      starts += h.path("to").asText().equals("RUNNING") && h.path("from").asText().equals("CREATED") ? 1 : 0;
    }
    assertThat(starts).as("the rollout started once, not again after the restart").isLessThanOrEqualTo(1);
    REPORT.put("control plane killed (SIGKILL) mid-rollout and restarted",
        "ready again after " + restart.toSeconds() + " s; rollout kept its state (" + statusBefore + ") and FINISHED "
            + finish.toSeconds() + " s later");
  }

  @Test
  @Order(3)
  void shouldRecoverFromAPostgresRestartWithoutManualAction() throws Exception {
    platform.stack().stop(Component.POSTGRES);
    Instant down = Instant.now();
    int apiStatus;
    try {
      await("readiness reports the database down").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
          .until(() -> operator.status("/q/health/ready") != 200);
      apiStatus = operator.status("/api/rollouts");
      assertThat(apiStatus).as("API answers (an error), it does not hang").isGreaterThanOrEqualTo(500);
    } finally {
      platform.stack().start(Component.POSTGRES);
    }
    await("ready again").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
        .until(() -> operator.status("/q/health/ready") == 200);
    Duration recovered = Duration.between(down, Instant.now());

    String modelId = uploadVariant();
    Duration finish = awaitFinished(createRollout(modelId, "after-postgres-restart"));
    REPORT.put("PostgreSQL stopped and restarted",
        "readiness DOWN while stopped, API answered HTTP " + apiStatus + "; ready again " + recovered.toSeconds()
            + " s after the stop, no manual action; next rollout FINISHED in " + finish.toSeconds() + " s");
  }

  @Test
  @Order(4)
  void shouldRetryThroughAnS3OutageAndActivateNothingCorrupt() throws Exception {
    String modelId = uploadVariant();
    String rolloutId = createRollout(modelId, "s3-outage");

    platform.stack().stop(Component.S3);
    Instant down = Instant.now();
    try {
      await("components alive while S3 is down").during(Duration.ofSeconds(20)).atMost(Duration.ofSeconds(25))
          .until(FaultToleranceIT::allAlive);
    } finally {
      platform.stack().start(Component.S3);
    }
    Duration outage = Duration.between(down, Instant.now());

    Duration finish = awaitFinished(rolloutId);
    JsonNode view = rollout(rolloutId);
    for (JsonNode d : view.path("devices")) {
      JsonNode device = operator.get("/api/devices/" + d.path("deviceId").asText());
      assertThat(device.path("currentBuildKey").asText()).as("device %s runs its build", d.path("deviceId").asText())
          .isEqualTo(d.path("buildKey").asText());
    }
    REPORT.put("S3 server stopped " + outage.toSeconds() + " s while builds were stored and downloaded",
        "rollout FINISHED " + finish.toSeconds() + " s after S3 came back; every device runs its verified build");
  }

  @Test
  @Order(5)
  void shouldCompleteEachBuildOnceWhenTheWorkerCrashesMidBuild() throws Exception {
    String modelId = uploadVariant();
    String rolloutId = createRollout(modelId, "worker-crash");
    await("a build requested").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
        .until(() -> requestedBuilds(modelId) > 0);

    platform.crashWorker();
    Instant crash = Instant.now();
    platform.restartWorker();

    Duration finish = awaitFinished(rolloutId);
    Map<String, Integer> completions = buildCompletionsOnTheResultsTopic();
    List<String> buildKeys = new ArrayList<>();
    for (JsonNode b : operator.get("/api/builds")) {
      if (b.path("modelId").asText().equals(modelId)) {
        assertThat(b.path("status").asText()).isEqualTo("COMPLETED");
        buildKeys.add(b.path("buildKey").asText());
      }
    }
    assertThat(buildKeys).isNotEmpty();
    int verified = verifyContentAddressedArtifacts();
    int published = buildKeys.stream().mapToInt(k -> completions.getOrDefault(k, 0)).sum();
    REPORT.put("quantizer worker killed (SIGKILL) mid-build, a new one started",
        buildKeys.size() + " build(s) COMPLETED once in the registry (" + published + " completion events on the results"
            + " topic: at-least-once, idempotent by build key); all " + verified + " objects under builds/ hash to their"
            + " names (nothing half-written visible); rollout FINISHED "
            + Duration.between(crash, Instant.now()).toSeconds() + " s after the crash (" + finish.toSeconds() + " s wait)");
  }

  @Test
  @Order(6)
  void shouldHaveLostOrDoubleCountedNoTelemetryOverTheWholeRun() throws Exception {
    // stop the producers, then compare what reached the topic with what the control plane counted once it caught up
    for (var agent : platform.agentProcesses()) {
      agent.close();
    }
    TopicAudit audit = new TopicAudit(platform.stack().kafkaBootstrapServers());
    Map<TopicPartition, Long> end = audit.endOffsets(Topics.TELEMETRY);
    audit.awaitConsumed(CONTROL_PLANE_GROUP, Topics.TELEMETRY, end, Duration.ofMinutes(2));

    TopicAudit.TelemetryLedger ledger = audit.readTelemetry(end);
    long counted = fleetInferences();

    assertThat(audit.deadLetterReasons(Topics.TELEMETRY))
        .as("telemetry dead-lettered by the control plane (a database outage must delay telemetry, not reject it)")
        .isEmpty();

    assertThat(ledger.gaps).as("sequence gaps per device (batches lost before Kafka)").isEmpty();
    assertThat(counted).as("inferences counted by the control plane vs distinct batches on the topic")
        .isEqualTo(ledger.distinctInferences);
    REPORT.put("telemetry over the whole run (all faults above)",
        ledger.records + " batch records on the topic, " + ledger.duplicates + " duplicate records (same device and "
            + "sequence), 0 sequence gaps; control plane counted " + counted + " inferences = " + ledger.distinctInferences
            + " in distinct batches: nothing lost, nothing double-counted");
  }

  // ------------------------------------------------------------------------------------------------------ helpers

  /** Copies the processes' logs out of the temporary data directory to {@code target/fault-tolerance-logs}. */
  private static void keepLogs() throws Exception {
    Path logs = dataDir.resolve("logs");
    if (!Files.isDirectory(logs)) {
      return;
    }
    Path kept = Files.createDirectories(Path.of("target", "fault-tolerance-logs"));
    try (var files = Files.list(logs)) {
      for (Path f : files.toList()) {
        Files.copy(f, kept.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  private static boolean allAlive() {
    return platform.controlPlaneProcess().isAlive() && platform.workerProcess().isAlive()
        && platform.agentProcesses().stream().allMatch(p -> p.isAlive());
  }

  /** Uploads a new variant of the MLP fixture: same graph and weights, a different description, so a new sha256. */
  private static String uploadVariant() throws Exception {
    variant++;
    var model = TfliteModel.parse(Fixtures.model(FixtureModel.FASHION_MLP)).copyModelT();
    model.setDescription("reliability variant " + variant);
    byte[] bytes = TfliteModel.serialize(model);
    JsonNode created = operator.uploadModel("reliability-" + variant, bytes, Fixtures.calibrationSet(), Fixtures.evalSet());
    String id = created.path("id").asText();
    await("analysis of " + id).atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
        .until(() -> {
          JsonNode m = operator.get("/api/models/" + id);
          return !m.has("analysisStatus") || m.path("analysisStatus").asText().equals("READY");
        });
    return id;
  }

  private static String createRollout(String modelId, String name) throws Exception {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("modelId", modelId);
    body.put("deviceFilter", Map.of());
    body.put("maxAccuracyDrop", 0.03);
    return operator.createRollout(body).path("id").asText();
  }

  private static JsonNode rollout(String id) throws Exception {
    return operator.get("/api/rollouts/" + id);
  }

  private static Duration awaitFinished(String rolloutId) {
    Instant t0 = Instant.now();
    AtomicReference<JsonNode> last = new AtomicReference<>();
    await("rollout " + rolloutId + " FINISHED").atMost(ROLLOUT_TIMEOUT).pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> {
          last.set(rollout(rolloutId));
          assertThat(last.get().path("status").asText()).as("rollout %s", last.get()).isEqualTo("FINISHED");
        });
    assertThat(last.get().path("succeeded").asInt()).isEqualTo(last.get().path("total").asInt());
    return Duration.between(t0, Instant.now());
  }

  private static long fleetInferences() throws Exception {
    long total = 0;
    for (JsonNode b : operator.get("/api/telemetry/summary")) {
      total += b.path("fleet").path("inferences").asLong();
    }
    return total;
  }

  private static long requestedBuilds(String modelId) throws Exception {
    long n = 0;
    for (JsonNode b : operator.get("/api/builds")) {
      n += b.path("modelId").asText().equals(modelId) ? 1 : 0;
    }
    return n;
  }

  /** Reads every object under {@code builds/} and checks its sha256 is its name; returns how many there are. */
  private static int verifyContentAddressedArtifacts() throws Exception {
    var s3 = io.minio.MinioClient.builder().endpoint(platform.stack().s3Endpoint())
        .credentials(platform.stack().s3AccessKey(), platform.stack().s3SecretKey()).build();
    int n = 0;
    for (var item : s3.listObjects(io.minio.ListObjectsArgs.builder().bucket(platform.stack().s3Bucket())
        .prefix("builds/").recursive(true).build())) {
      String name = item.get().objectName();
      byte[] content;
      try (var in = s3.getObject(io.minio.GetObjectArgs.builder().bucket(platform.stack().s3Bucket()).object(name)
          .build())) {
        content = in.readAllBytes();
      }
      String sha = io.edgefleet.schemas.events.BuildKeys.sha256Hex(content);
      assertThat(name).as("content-addressed artifact").isEqualTo("builds/" + sha + ".tflite");
      n++;
    }
    return n;
  }

  /** Completion events per build key on the results topic (the worker publishes at least once). */
  private static Map<String, Integer> buildCompletionsOnTheResultsTopic() throws Exception {
    EventCodec codec = new EventCodec();
    Map<String, Integer> counts = new HashMap<>();
    for (ConsumerRecord<String, byte[]> r :
        new TopicAudit(platform.stack().kafkaBootstrapServers()).records(Topics.BUILD_RESULTS)) {
      try {
        if (codec.decode(r.value()).event() instanceof BuildCompleted c) {
          counts.merge(c.buildKey(), 1, Integer::sum);
        }
      } catch (io.edgefleet.schemas.codec.EventDecodingException ex) {
        throw new AssertionError("undecodable build result: " + ex.getMessage(), ex);
      }
    }
    return counts;
  }
}
