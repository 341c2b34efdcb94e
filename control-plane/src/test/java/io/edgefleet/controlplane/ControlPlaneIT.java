package io.edgefleet.controlplane;

import static io.edgefleet.controlplane.testing.TestAuth.asAdmin;
import static io.edgefleet.controlplane.testing.TestAuth.asDevice;
import static io.edgefleet.controlplane.testing.TestAuth.asViewer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.edgefleet.controlplane.telemetry.LatencyHistograms;
import io.edgefleet.controlplane.testing.Analyses;
import io.edgefleet.controlplane.testing.AuthKeysResource;
import io.edgefleet.controlplane.testing.LocalStackResource;
import io.edgefleet.controlplane.testing.TinyModels;
import io.edgefleet.schemas.Topics;
import io.edgefleet.schemas.api.AcceleratorInfo;
import io.edgefleet.schemas.api.DeviceRegistration;
import io.edgefleet.schemas.api.HardwareClass;
import io.edgefleet.schemas.api.HardwareProfile;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.schemas.events.AnalysisCompleted;
import io.edgefleet.schemas.events.AnalysisFailed;
import io.edgefleet.schemas.events.AnalysisRequested;
import io.edgefleet.schemas.events.BuildCompleted;
import io.edgefleet.schemas.events.BuildKeys;
import io.edgefleet.schemas.events.BuildMetrics;
import io.edgefleet.schemas.events.BuildRequested;
import io.edgefleet.schemas.events.DesiredState;
import io.edgefleet.schemas.events.DeviceFeedback;
import io.edgefleet.schemas.events.FeedbackStatus;
import io.edgefleet.schemas.events.FleetEvent;
import io.edgefleet.schemas.events.InferenceTelemetry;
import io.edgefleet.schemas.events.LatencyStats;
import io.edgefleet.schemas.events.OpTiming;
import io.minio.BucketExistsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.edgefleet.controlplane.telemetry.TelemetryAggregate;
import io.edgefleet.controlplane.telemetry.TelemetryService;
import io.edgefleet.controlplane.messaging.EventPublisher;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The control plane against the real local stack: PostgreSQL, Kafka and S3. Plays the worker and the agents by
 * publishing their events with plain Kafka clients.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = AuthKeysResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ControlPlaneIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final EventCodec CODEC = new EventCodec();
  private static final String DEVICE = "it-device-1";
  private static final HardwareProfile HW = new HardwareProfile("amd64", "Test CPU", 4, 8L << 30, 32L << 30,
      List.of("avx2", "fma"), AcceleratorInfo.none(), "Linux 6", "2.19.0");

  private static final byte[] MODEL = TinyModels.classifier(7);
  private static final byte[] CALIBRATION = TinyModels.samples(16, false, 8);
  private static final byte[] EVAL = TinyModels.samples(32, true, 9);

  private static String modelId;
  private static String buildKey;
  private static String rolloutId;

  @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap;
  @ConfigProperty(name = "edgefleet.s3.endpoint") String s3Endpoint;
  @ConfigProperty(name = "edgefleet.s3.access-key") String s3AccessKey;
  @ConfigProperty(name = "edgefleet.s3.secret-key") String s3SecretKey;
  @ConfigProperty(name = "edgefleet.s3.bucket") String bucket;

  @Test
  @Order(1)
  void shouldRegisterADeviceAndUpdateItOnReRegistration() {
    DeviceRegistration reg = new DeviceRegistration(DEVICE, "bench-1", HW, "0.1.0", Map.of("site", "lab"));
    asDevice(reg.deviceId()).contentType(ContentType.JSON).body(json(reg)).post("/api/devices")
        .then().statusCode(201)
        .body("deviceId", equalTo(DEVICE))
        .body("hardwareClass", equalTo(HardwareClass.of(HW)))
        .body("pollIntervalSeconds", equalTo(2));

    DeviceRegistration again = new DeviceRegistration(DEVICE, "bench-1b", HW, "0.1.1", Map.of("site", "lab"));
    asDevice(again.deviceId()).contentType(ContentType.JSON).body(json(again)).post("/api/devices").then().statusCode(200);

    asAdmin().get("/api/devices/" + DEVICE).then().statusCode(200)
        .body("name", equalTo("bench-1b")).body("agentVersion", equalTo("0.1.1"))
        .body("hardware.cores", equalTo(4)).body("attributes.site", equalTo("lab"));
    asAdmin().queryParam("hardwareClass", HardwareClass.of(HW)).queryParam("attribute", "site:lab")
        .get("/api/devices").then().statusCode(200).body("total", equalTo(1)).body("items[0].id", equalTo(DEVICE));
    asAdmin().queryParam("attribute", "site:elsewhere").get("/api/devices").then().statusCode(200)
        .body("total", equalTo(0));

    // a poll is a heartbeat, recorded at a 15 s resolution: polls in between read the row without writing it
    String seen = asAdmin().get("/api/devices/" + DEVICE).jsonPath().getString("lastSeenAt");
    asDevice(DEVICE).get("/api/devices/" + DEVICE + "/assignment").then().statusCode(200);
    asDevice(DEVICE).get("/api/devices/" + DEVICE + "/assignment").then().statusCode(200);
    asAdmin().get("/api/devices/" + DEVICE).then().body("lastSeenAt", equalTo(seen));
    asDevice("no-such-device").get("/api/devices/no-such-device/assignment").then().statusCode(404)
        .contentType("application/problem+json");
  }

  @Test
  @Order(2)
  void shouldAnswerErrorsWithProblemJson() {
    asAdmin().get("/api/devices/nope").then().statusCode(404).contentType("application/problem+json")
        .body("code", equalTo("device.not-found")).body("status", equalTo(404))
        .body("instance", equalTo("/api/devices/nope"));
    Response bad = asAdmin().contentType(ContentType.JSON).body("{\"deviceId\": ").post("/api/devices");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.contentType()).startsWith("application/problem+json");
    assertThat(bad.jsonPath().getString("code")).isEqualTo("request.malformed-json");
    assertThat(bad.asString()).doesNotContain("Exception").doesNotContain("io.edgefleet");
    Response wrongShape = asAdmin().contentType(ContentType.JSON).body("{\"deviceId\": \"d\", \"hardware\": [1, 2]}")
        .post("/api/devices");
    assertThat(wrongShape.statusCode()).isEqualTo(400);
    assertThat(wrongShape.contentType()).startsWith("application/problem+json");
    assertThat(wrongShape.jsonPath().getString("code")).isEqualTo("request.malformed-json");
    assertThat(wrongShape.asString()).doesNotContain("Exception").doesNotContain("io.edgefleet");
    asAdmin().contentType(ContentType.JSON).body("{\"name\":\"\",\"modelId\":\"x\",\"maxAccuracyDrop\":3}")
        .post("/api/rollouts").then().statusCode(400).contentType("application/problem+json")
        .body("code", equalTo("request.validation-failed")).body("errors.size()", equalTo(2));
  }

  @Test
  @Order(3)
  void shouldRejectAGarbageModelAndStoreNothing() throws Exception {
    byte[] garbage = "definitely not a tflite flatbuffer, just some text".getBytes(StandardCharsets.UTF_8);
    int before = asAdmin().get("/api/models").jsonPath().getList("$").size();

    asAdmin().multiPart("name", "garbage").multiPart("model", "m.tflite", garbage)
        .multiPart("calibration", "c.efs", CALIBRATION).multiPart("eval", "e.efs", EVAL)
        .post("/api/models").then().statusCode(400).contentType("application/problem+json")
        .body("code", equalTo("model.corrupt"));

    assertThat(asAdmin().get("/api/models").jsonPath().getList("$")).hasSize(before);
    assertThat(objectExists("models/" + BuildKeys.sha256Hex(garbage) + ".tflite")).isFalse();
    assertThat(objectExists("samples/" + BuildKeys.sha256Hex(CALIBRATION) + ".efs")).isFalse();
  }

  @Test
  @Order(4)
  void shouldStoreAValidModelContentAddressed() throws Exception {
    Response r;
    AnalysisRequested analysisRequest;
    try (KafkaConsumer<String, byte[]> requests = consumer(Topics.ANALYSIS_REQUESTS)) {
      r = asAdmin().multiPart("name", "tiny-classifier").multiPart("model", "m.tflite", MODEL)
          .multiPart("calibration", "c.efs", CALIBRATION).multiPart("eval", "e.efs", EVAL).post("/api/models");
      assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
      String id = r.jsonPath().getString("id");
      analysisRequest = awaitEvent(requests, AnalysisRequested.class, e -> id.equals(e.modelId()));
    }
    modelId = r.jsonPath().getString("id");
    assertThat(r.jsonPath().getString("analysisStatus")).isEqualTo("PENDING");
    assertThat(analysisRequest.modelSha256()).isEqualTo(BuildKeys.sha256Hex(MODEL));
    assertThat(analysisRequest.modelObjectKey()).isEqualTo("models/" + BuildKeys.sha256Hex(MODEL) + ".tflite");
    assertThat(analysisRequest.calibrationObjectKey()).isEqualTo("samples/" + BuildKeys.sha256Hex(CALIBRATION) + ".efs");
    assertThat(analysisRequest.evalObjectKey()).isEqualTo("samples/" + BuildKeys.sha256Hex(EVAL) + ".efs");
    String sha = BuildKeys.sha256Hex(MODEL);
    assertThat(r.jsonPath().getString("sha256")).isEqualTo(sha);
    assertThat(r.jsonPath().getInt("version")).isEqualTo(1);
    assertThat(r.jsonPath().getList("inputShape")).containsExactly(1, TinyModels.FEATURES);
    assertThat(objectExists("models/" + sha + ".tflite")).isTrue();
    assertThat(objectExists("samples/" + BuildKeys.sha256Hex(CALIBRATION) + ".efs")).isTrue();
    assertThat(objectExists("samples/" + BuildKeys.sha256Hex(EVAL) + ".efs")).isTrue();
    asAdmin().get("/api/models/" + modelId).then().statusCode(200).body("opCounts.FULLY_CONNECTED", equalTo(1));
    // the identical upload is recognised
    asAdmin().multiPart("name", "tiny-classifier").multiPart("model", "m.tflite", MODEL)
        .multiPart("calibration", "c.efs", CALIBRATION).multiPart("eval", "e.efs", EVAL).post("/api/models")
        .then().statusCode(200).body("id", equalTo(modelId));
  }

  @Test
  @Order(5)
  void shouldRefuseRolloutsUntilTheAnalysisIsReadyAndThenExposeIt() {
    asAdmin().get("/api/models/" + modelId + "/analysis").then().statusCode(409)
        .contentType("application/problem+json").body("code", equalTo("model.analysis-pending"))
        .body("analysisStatus", equalTo("PENDING"));
    asAdmin().contentType(ContentType.JSON).body(Map.of("name", "too-early", "modelId", modelId,
        "maxAccuracyDrop", 0.05)).post("/api/rollouts").then().statusCode(409)
        .contentType("application/problem+json").body("code", equalTo("model.analysis-pending"));

    // act as the worker: the analysis of the model's real layers
    AnalysisCompleted analysis = Analyses.of(modelId, MODEL, Analyses.typical());
    publish(Topics.ANALYSIS_RESULTS, analysis);
    await().atMost(TIMEOUT).untilAsserted(() -> asAdmin().get("/api/models/" + modelId).then()
        .body("analysisStatus", equalTo("READY")));

    Response table = asAdmin().get("/api/models/" + modelId + "/analysis");
    assertThat(table.statusCode()).as(table.asString()).isEqualTo(200);
    assertThat(table.jsonPath().getString("status")).isEqualTo("READY");
    assertThat(table.jsonPath().getList("layers.layerId")).containsExactly("0:FULLY_CONNECTED");
    assertThat(table.jsonPath().getLong("layers[0].params")).isEqualTo(TinyModels.FEATURES * TinyModels.CLASSES
        + TinyModels.CLASSES);
    assertThat(table.jsonPath().getLong("layers[0].macs")).isGreaterThan(0);
    assertThat(table.jsonPath().getMap("layers[0].precisions")).containsOnlyKeys("float32", "float16", "int8",
        "int4-weights");
    assertThat(table.jsonPath().getLong("layers[0].precisions.float16.sizeBytes")).isEqualTo(136);
    assertThat(table.jsonPath().getDouble("layers[0].precisions.int8.agreement")).isCloseTo(0.99, offset(1e-6));
    assertThat(table.jsonPath().getDouble("layers[0].precisions.int8.loss")).isCloseTo(0.01, offset(1e-6));
    assertThat(table.jsonPath().getString("latencyHost")).contains("it-worker host");
    assertThat(table.jsonPath().getLong("fixedBytes")).isEqualTo(analysis.fixedBytes());
  }

  @Test
  @Order(6)
  void shouldRequestABuildAndAssignTheDeviceWhenTheBuildCompletes() throws Exception {
    try (KafkaConsumer<String, byte[]> requests = consumer(Topics.BUILD_REQUESTS);
        KafkaConsumer<String, byte[]> desired = consumer(Topics.DESIRED_STATE)) {
      Response created = asAdmin().contentType(ContentType.JSON)
          .body(Map.of("name", "it-rollout", "modelId", modelId,
              "deviceFilter", Map.of("hardwareClass", HardwareClass.of(HW)), "maxAccuracyDrop", 0.05))
          .post("/api/rollouts");
      assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
      rolloutId = created.jsonPath().getString("id");
      // the tiny layer's per-channel int8 parameters outweigh its weights: float16 is the smallest build for this CPU
      assertThat(created.jsonPath().getString("classes[0].mode")).isEqualTo("FLOAT16");
      assertThat(created.jsonPath().getString("classes[0].explanation.objective")).startsWith("MIN_SIZE");
      assertThat(created.jsonPath().getLong("classes[0].explanation.predicted.sizeBytes"))
          .isLessThan(created.jsonPath().getLong(
              "classes[0].explanation.baselines.find { it.precision == 'int8' }.sizeBytes"));
      assertThat(created.jsonPath().getString("devices[0].status")).isEqualTo("WAITING_FOR_BUILD");

      BuildRequested request = awaitEvent(requests, BuildRequested.class, e -> e.modelId().equals(modelId));
      buildKey = request.buildKey();
      assertThat(buildKey).isEqualTo(BuildKeys.of(BuildKeys.sha256Hex(MODEL), request.plan().planHash()));
      assertThat(request.modelObjectKey()).isEqualTo("models/" + BuildKeys.sha256Hex(MODEL) + ".tflite");
      assertThat(request.plan().mode()).isEqualTo("FLOAT16");
      assertThat(request.plan().layerPrecisions()).isEmpty();
      asAdmin().get("/api/builds/" + buildKey).then().statusCode(200).body("status", equalTo("REQUESTED"))
          .body("explanation.mode", equalTo("FLOAT16")).body("explanation.solverStatus", equalTo("OPTIMAL"))
          .body("explanation.constraints.find { it.name == 'maxPredictedLoss' }.source", equalTo("rollout-slo"))
          .body("explanation.constraints.find { it.name == 'allowedPrecisions' }.source", equalTo("hardware-class"));
      asDevice(DEVICE).get("/api/devices/" + DEVICE + "/assignment").then().statusCode(200).header("ETag", "\"0\"");

      // act as the worker: store an artifact and announce it
      byte[] artifact = TinyModels.classifier(99);
      String artifactSha = BuildKeys.sha256Hex(artifact);
      minio().putObject(PutObjectArgs.builder().bucket(bucket).object("builds/" + artifactSha + ".tflite")
          .stream(new ByteArrayInputStream(artifact), artifact.length, -1).build());
      publish(Topics.BUILD_RESULTS, new BuildCompleted(buildKey, request.modelSha256(), request.plan().planHash(),
          "builds/" + artifactSha + ".tflite", artifactSha, artifact.length, "c2lnbmF0dXJl", "key-1", null,
          new BuildMetrics(32, 0.5, 0.47, 0.94, MODEL.length, 120.0, 300.0), "it-worker", 1234, Instant.now()));

      await().atMost(TIMEOUT).untilAsserted(() -> asDevice(DEVICE).get("/api/devices/" + DEVICE + "/assignment")
          .then().statusCode(200).body("buildKey", equalTo(buildKey)));
      Response assignment = asDevice(DEVICE).get("/api/devices/" + DEVICE + "/assignment");
      assertThat(assignment.header("ETag")).isEqualTo("\"1\"");
      assertThat(assignment.jsonPath().getLong("revision")).isEqualTo(1);
      assertThat(assignment.jsonPath().getString("artifactSha256")).isEqualTo(artifactSha);
      assertThat(assignment.jsonPath().getString("signingKeyId")).isEqualTo("key-1");
      assertThat(assignment.jsonPath().getString("rolloutId")).isEqualTo(rolloutId);
      assertThat(download(assignment.jsonPath().getString("artifactUrl"))).isEqualTo(artifact);
      assertThat(download(assignment.jsonPath().getString("evalSetUrl"))).isEqualTo(EVAL);
      asDevice(DEVICE).header("If-None-Match", "\"1\"").get("/api/devices/" + DEVICE + "/assignment")
          .then().statusCode(304);

      DesiredState state = awaitEvent(desired, DesiredState.class, e -> e.deviceId().equals(DEVICE));
      assertThat(state.revision()).isEqualTo(1);
      assertThat(state.buildKey()).isEqualTo(buildKey);
      assertThat(state.maxAccuracyDrop()).isEqualTo(0.05);
      asAdmin().get("/api/builds/" + buildKey).then().statusCode(200).body("status", equalTo("COMPLETED"))
          .body("metrics.quantizedTop1", equalTo(0.47f));
      asAdmin().get("/api/rollouts/" + rolloutId).then().body("devices[0].status", equalTo("ASSIGNED"))
          .body("status", equalTo("RUNNING"));
    }
  }

  @Test
  @Order(7)
  void shouldTrackDeviceFeedbackUntilTheRolloutFinishes() {
    publish(Topics.DEVICE_FEEDBACK, new DeviceFeedback(DEVICE, rolloutId, buildKey, FeedbackStatus.DOWNLOADING,
        null, Instant.now()));
    publish(Topics.DEVICE_FEEDBACK, new DeviceFeedback(DEVICE, rolloutId, buildKey, FeedbackStatus.RUNNING,
        null, Instant.now()));

    await().atMost(TIMEOUT).untilAsserted(() -> asAdmin().get("/api/rollouts/" + rolloutId).then()
        .body("status", equalTo("FINISHED")).body("devices[0].status", equalTo("RUNNING"))
        .body("counts.RUNNING", equalTo(1)).body("succeeded", equalTo(1)));
    asAdmin().get("/api/devices/" + DEVICE).then().body("rolloutStatus", equalTo("RUNNING"))
        .body("currentBuildKey", equalTo(buildKey));
  }

  @Test
  @Order(8)
  void shouldAggregateTelemetryWithMergedPercentiles() {
    long[] fast = range(1_000, 2_000, 1000);
    long[] slow = range(8_000, 9_000, 250);
    publish(Topics.TELEMETRY, telemetry(DEVICE, 1, fast, 1000, 900, 1000, 980));
    publish(Topics.TELEMETRY, telemetry("it-device-2", 1, slow, 250, 200, 250, 240));
    publish(Topics.TELEMETRY, telemetry(DEVICE, 1, fast, 1000, 900, 1000, 980)); // replay: dropped

    long[] all = concat(fast, slow);
    await().atMost(TIMEOUT).untilAsserted(() -> asAdmin().get("/api/telemetry/builds/" + buildKey).then()
        .statusCode(200).body("inferences", equalTo(1250)).body("devices", equalTo(2)));
    Response agg = asAdmin().get("/api/telemetry/builds/" + buildKey);
    assertThat(agg.jsonPath().getDouble("p50Micros")).isCloseTo(nearestRank(all, 50), within(all, 50));
    assertThat(agg.jsonPath().getDouble("p95Micros")).isCloseTo(nearestRank(all, 95), within(all, 95));
    assertThat(agg.jsonPath().getDouble("p99Micros")).isCloseTo(nearestRank(all, 99), within(all, 99));
    assertThat(agg.jsonPath().getDouble("top1Accuracy")).isCloseTo(1100.0 / 1250, offset());
    assertThat(agg.jsonPath().getDouble("agreementWithFloat")).isCloseTo(1220.0 / 1250, offset());
    assertThat(agg.jsonPath().getList("byHardwareClass")).hasSize(1);
    assertThat(agg.jsonPath().getList("windows")).isNotEmpty();
    asAdmin().get("/api/telemetry/summary").then().statusCode(200)
        .body("find { it.buildKey == '" + buildKey + "' }.fleet.inferences", equalTo(1250))
        .body("find { it.buildKey == '" + buildKey + "' }.quantizedSizeBytes", equalTo(TinyModels.classifier(99).length));
  }

  @Test
  @Order(9)
  void shouldDeadLetterGarbageTelemetryAndKeepConsuming() {
    try (KafkaConsumer<String, byte[]> dlq = consumer(Topics.deadLetter(Topics.TELEMETRY))) {
      try (KafkaProducer<String, byte[]> producer = producer()) {
        producer.send(new ProducerRecord<>(Topics.TELEMETRY, DEVICE, "{not json".getBytes(StandardCharsets.UTF_8)));
      }
      publish(Topics.TELEMETRY, telemetry(DEVICE, 2, range(1_000, 2_000, 50), 50, 50, 50, 50));

      List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
      await().atMost(TIMEOUT).until(() -> {
        dlq.poll(Duration.ofMillis(500)).forEach(dead::add);
        return !dead.isEmpty();
      });
      ConsumerRecord<String, byte[]> record = dead.get(0);
      assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
      assertThat(header(record, Topics.DLQ_REASON_HEADER)).startsWith("event.malformed-json");
      assertThat(header(record, Topics.DLQ_SOURCE_TOPIC_HEADER)).isEqualTo(Topics.TELEMETRY);
      assertThat(header(record, "dead-letter-reason")).isNotBlank();
      await().atMost(TIMEOUT).untilAsserted(() -> asAdmin().get("/api/telemetry/builds/" + buildKey).then()
          .body("inferences", equalTo(1300)));
    }
  }

  @Test
  @Order(10)
  void shouldDeadLetterARecordItsHandlerFailsOnAndKeepConsuming() {
    try (KafkaConsumer<String, byte[]> dlq = consumer(Topics.deadLetter(Topics.TELEMETRY))) {
      // decodes and validates, but the database rejects it (build_key is VARCHAR(64)): the transaction rolls back
      InferenceTelemetry valid = telemetry(DEVICE, 3, range(1_000, 2_000, 10), 10, 10, 10, 10);
      InferenceTelemetry tooLong = new InferenceTelemetry(DEVICE, 4, "b".repeat(80), rolloutId, valid.hardwareClass(),
          valid.windowStart(), valid.windowEnd(), valid.latency(), 10, 10, 10, 10, 0, 2, null);
      publish(Topics.TELEMETRY, tooLong);
      publish(Topics.TELEMETRY, telemetry(DEVICE, 5, range(1_000, 2_000, 20), 20, 20, 20, 20));

      List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
      await().atMost(TIMEOUT).until(() -> {
        dlq.poll(Duration.ofMillis(500)).forEach(r -> {
          String reason = header(r, Topics.DLQ_REASON_HEADER);
          if (reason != null && reason.startsWith("event.processing-failed")
              && decode(r.value()) instanceof InferenceTelemetry t && t.sequence() == 4) {
            dead.add(r);
          }
        });
        return !dead.isEmpty();
      });
      ConsumerRecord<String, byte[]> record = dead.get(0);
      assertThat(header(record, Topics.DLQ_REASON_HEADER)).startsWith("event.processing-failed")
          .contains("too long");
      assertThat(header(record, Topics.DLQ_SOURCE_TOPIC_HEADER)).isEqualTo(Topics.TELEMETRY);
      assertThat(header(record, Topics.DLQ_SOURCE_OFFSET_HEADER)).matches("\\d+");
      // the consumer moved on: the record after the poison one is aggregated, the poison one is not
      await().atMost(TIMEOUT).untilAsserted(() -> asAdmin().get("/api/telemetry/builds/" + buildKey).then()
          .body("inferences", equalTo(1320)));
      asAdmin().get("/api/telemetry/builds/" + "b".repeat(80)).then().statusCode(404);
    }
  }

  @Test
  @Order(11)
  void shouldServeTheDashboardWithItsBundledChartLibrary() {
    asAdmin().get("/").then().statusCode(200).body(org.hamcrest.Matchers.containsString("Edge Fleet"));
    asAdmin().get("/webjars/chart.js/4.4.1/dist/chart.umd.js").then().statusCode(200);
    asAdmin().get("/dashboard.js").then().statusCode(200);
    asAdmin().get("/q/health/ready").then().statusCode(200).body("status", startsWith("UP"));
  }

  // ------------------------------------------------------------------------------------ staged rollouts

  private static String goodRolloutId;

  @Test
  @Order(12)
  void shouldQueryDevicesWithTheFilterLanguageAndRejectBadQueries() {
    for (int i = 0; i < 5; i++) {
      register("good-" + i, "good-fleet,lab", HW);
    }
    HardwareProfile arm = new HardwareProfile("arm64", "Cortex-A72", 4, 2L << 30, 16L << 30, List.of("neon"),
        AcceleratorInfo.none(), "Linux 6", "2.19.0");
    register("q-arm", "lab", arm);

    asAdmin().queryParam("q", "tag==good-fleet;arch==amd64").queryParam("size", 2).get("/api/devices").then()
        .statusCode(200).body("total", equalTo(5)).body("items.id", org.hamcrest.Matchers.contains("good-0", "good-1"));
    asAdmin().queryParam("q", "tag==good-fleet").queryParam("page", 2).queryParam("size", 2).get("/api/devices")
        .then().body("items.id", org.hamcrest.Matchers.contains("good-4"));
    asAdmin().queryParam("q", "tag==lab;ramMb=le=2048").get("/api/devices").then().body("total", equalTo(1))
        .body("items[0].id", equalTo("q-arm"));
    asAdmin().queryParam("q", "arch==arm64,id==good-3").get("/api/devices").then().body("total", equalTo(2));
    asAdmin().queryParam("q", "tag==lab;ramMb=ge=4096;arch=in=(amd64,x86_64);id==good-*").get("/api/devices").then()
        .body("total", equalTo(5));

    Response bad = asAdmin().queryParam("q", "tag==lab;colour==red").get("/api/devices");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.contentType()).startsWith("application/problem+json");
    assertThat(bad.jsonPath().getString("code")).isEqualTo("device.query-invalid");
    assertThat(bad.jsonPath().getString("detail")).contains("'colour'").contains("position 9");
    asAdmin().contentType(ContentType.JSON).body(Map.of("name", "bad-query", "modelId", modelId, "maxAccuracyDrop",
        0.1, "deviceFilter", Map.of("query", "ramMb=ge=lots"))).post("/api/rollouts").then().statusCode(400)
        .body("code", equalTo("device.query-invalid")).body("detail", org.hamcrest.Matchers.containsString("'lots'"));
  }

  @Test
  @Order(13)
  void shouldCarryAGoodBuildThroughThreeCanaryGroupsToFinished() {
    Response created = asAdmin().contentType(ContentType.JSON).body(Map.of("name", "good-staged", "modelId", modelId,
        "maxAccuracyDrop", 0.05, "deviceFilter", Map.of("query", "tag==good-fleet"),
        "groups", List.of(Map.of("name", "canary", "count", 1), Map.of("percent", 50, "successThreshold", 0.6),
            Map.of()),
        "gates", Map.of("maxAccuracyDrop", 0.05, "maxFailureRate", 0.02, "minSamples", 100),
        "onBreach", "ROLLBACK")).post("/api/rollouts");
    assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
    goodRolloutId = created.jsonPath().getString("id");
    assertThat(created.jsonPath().getString("status")).isEqualTo("RUNNING");
    assertThat(created.jsonPath().getList("groups.devices")).containsExactly(List.of("good-0"),
        List.of("good-1", "good-2", "good-3"), List.of("good-4"));
    assertThat(created.jsonPath().getList("groups.status")).containsExactly("RUNNING", "PENDING", "PENDING");
    assertThat(created.jsonPath().getString("devices.find { it.deviceId == 'good-1' }.status")).isEqualTo("PENDING");
    asDevice("good-1").get("/api/devices/good-1/assignment").then().body("buildKey", org.hamcrest.Matchers.nullValue());

    // the canary runs, but the group waits for enough telemetry samples before the gate passes
    healthy("good-0", goodRolloutId, 1, 60, 59);
    await().atMost(TIMEOUT).untilAsserted(() -> asAdmin().get("/api/rollouts/" + goodRolloutId).then()
        .body("groups[0].gates.find { it.gate == 'ACCURACY' }.verdict", equalTo("PENDING"))
        .body("groups[0].gates.find { it.gate == 'ACCURACY' }.samples", equalTo(60))
        .body("groups[0].status", equalTo("RUNNING")));
    telemetryOnly("good-0", goodRolloutId, 2, 60, 59);
    await().atMost(TIMEOUT).untilAsserted(() -> asAdmin().get("/api/rollouts/" + goodRolloutId).then()
        .body("groups[0].status", equalTo("COMPLETED")).body("groups[1].status", equalTo("RUNNING")));
    Response afterCanary = asAdmin().get("/api/rollouts/" + goodRolloutId);
    assertThat(afterCanary.jsonPath().getDouble("groups[0].gates.find { it.gate == 'ACCURACY' }.value"))
        .isCloseTo(118.0 / 120, org.assertj.core.data.Offset.offset(1e-6)); // JSON numbers parse as float
    assertThat(afterCanary.jsonPath().getString("groups[0].gates.find { it.gate == 'ACCURACY' }.verdict"))
        .isEqualTo("PASS");
    asDevice("good-1").get("/api/devices/good-1/assignment").then().body("buildKey", equalTo(buildKey))
        .body("rolloutId", equalTo(goodRolloutId));

    // 2 of 3 running meets the 0.6 success threshold of group 2
    healthy("good-1", goodRolloutId, 1, 200, 199);
    healthy("good-2", goodRolloutId, 1, 200, 198);
    await().atMost(TIMEOUT).untilAsserted(() -> asAdmin().get("/api/rollouts/" + goodRolloutId).then()
        .body("groups[1].status", equalTo("COMPLETED")).body("groups[2].status", equalTo("RUNNING")));
    healthy("good-4", goodRolloutId, 1, 200, 200);
    await().atMost(TIMEOUT).untilAsserted(() -> asAdmin().get("/api/rollouts/" + goodRolloutId).then()
        .body("status", equalTo("FINISHED")).body("groups[2].status", equalTo("COMPLETED")));
    Response done = asAdmin().get("/api/rollouts/" + goodRolloutId);
    assertThat(done.jsonPath().getList("history.action")).containsSubsequence("CREATE", "START", "GROUP_COMPLETED",
        "GROUP_COMPLETED", "GROUP_COMPLETED", "FINISH");
    assertThat(done.jsonPath().getList("history.reason", String.class)).last().isEqualTo("last group complete");
  }

  @Test
  @Order(14)
  void shouldCatchABadBuildInTheCanaryAndRollBackToThePreviousBuild() throws Exception {
    byte[] model2 = TinyModels.classifier(8);
    String model2Id;
    try (KafkaConsumer<String, byte[]> requests = consumer(Topics.BUILD_REQUESTS)) {
      Response upload = asAdmin().multiPart("name", "tiny-classifier").multiPart("model", "m.tflite", model2)
          .multiPart("calibration", "c.efs", CALIBRATION).multiPart("eval", "e.efs", EVAL).post("/api/models");
      assertThat(upload.statusCode()).as(upload.asString()).isEqualTo(201);
      model2Id = upload.jsonPath().getString("id");
      publish(Topics.ANALYSIS_RESULTS, Analyses.of(model2Id, model2, Analyses.typical()));
      String analysed = model2Id;
      await().atMost(TIMEOUT).untilAsserted(() -> asAdmin().get("/api/models/" + analysed).then()
          .body("analysisStatus", equalTo("READY")));
      Response created = asAdmin().contentType(ContentType.JSON).body(Map.of("name", "bad-staged", "modelId",
          model2Id, "maxAccuracyDrop", 0.05, "deviceFilter", Map.of("tag", "good-fleet"),
          "groups", List.of(Map.of("count", 1), Map.of("percent", 50), Map.of()),
          "gates", Map.of("maxAccuracyDrop", 0.05, "minSamples", 100), "onBreach", "ROLLBACK"))
          .post("/api/rollouts");
      assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
      String badId = created.jsonPath().getString("id");
      BuildRequested request = awaitEvent(requests, BuildRequested.class, e -> e.modelId().equals(model2Id));
      String badBuild = request.buildKey();
      completeBuild(request, TinyModels.classifier(98));
      await().atMost(TIMEOUT).untilAsserted(() -> asDevice("good-0").get("/api/devices/good-0/assignment").then()
          .body("buildKey", equalTo(badBuild)).body("rolloutId", equalTo(badId)));
      long badRevision = asDevice("good-0").get("/api/devices/good-0/assignment").jsonPath().getLong("revision");

      // the canary agrees with the float model on only 50 % of the samples: far below 1 - 0.05
      publish(Topics.DEVICE_FEEDBACK, new DeviceFeedback("good-0", badId, badBuild, FeedbackStatus.RUNNING, null,
          Instant.now()));
      publish(Topics.TELEMETRY, telemetryOf("good-0", 10, badBuild, badId, 200, 100));

      await().atMost(TIMEOUT).untilAsserted(() -> asAdmin().get("/api/rollouts/" + badId).then()
          .body("status", equalTo("ROLLED_BACK")));
      Response view = asAdmin().get("/api/rollouts/" + badId);
      assertThat(view.jsonPath().getString("statusReason")).contains("ACCURACY").contains("FAIL");
      assertThat(view.jsonPath().getString("groups[0].gates[0].verdict")).isEqualTo("FAIL");
      assertThat(view.jsonPath().getDouble("groups[0].gates[0].value")).isCloseTo(0.5, offset());
      assertThat(view.jsonPath().getDouble("groups[0].gates[0].threshold")).isCloseTo(0.95, offset());
      assertThat(view.jsonPath().getList("groups.status")).containsExactly("CANCELLED", "CANCELLED", "CANCELLED");
      assertThat(view.jsonPath().getString("devices.find { it.deviceId == 'good-0' }.status"))
          .isEqualTo("ROLLED_BACK");
      assertThat(view.jsonPath().getString("devices.find { it.deviceId == 'good-3' }.status"))
          .isEqualTo("CANCELLED");
      assertThat(view.jsonPath().getList("history.action")).contains("BREACH_ROLLBACK");
      // the canary gets its previous build back through the desired state; the others never left it
      Response back = asDevice("good-0").get("/api/devices/good-0/assignment");
      assertThat(back.jsonPath().getString("buildKey")).isEqualTo(buildKey);
      assertThat(back.jsonPath().getString("rolloutId")).isEqualTo(goodRolloutId);
      assertThat(back.jsonPath().getLong("revision")).isEqualTo(badRevision + 1);
      asDevice("good-3").get("/api/devices/good-3/assignment").then().body("buildKey", equalTo(buildKey));
      asAdmin().post("/api/rollouts/" + badId + "/resume").then().statusCode(409)
          .contentType("application/problem+json").body("code", equalTo("rollout.invalid-transition"));
    }
  }

  @Test
  @Order(15)
  void shouldPauseOnTheErrorThresholdAndObeyOperatorVerbs() {
    for (int i = 0; i < 4; i++) {
      register("pz-" + i, "pause-fleet", HW);
    }
    Response created = asAdmin().contentType(ContentType.JSON).body(Map.of("name", "pause-staged", "modelId", modelId,
        "maxAccuracyDrop", 0.05, "deviceFilter", Map.of("query", "tag==pause-fleet"), "autoStart", false,
        "groups", List.of(Map.of("count", 1, "errorThreshold", 0.0), Map.of("count", 1), Map.of())))
        .post("/api/rollouts");
    assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
    String id = created.jsonPath().getString("id");
    assertThat(created.jsonPath().getString("status")).isEqualTo("CREATED");
    assertThat(created.jsonPath().getString("onBreach")).isEqualTo("PAUSE");
    asAdmin().post("/api/rollouts/" + id + "/start").then().statusCode(200).body("status", equalTo("RUNNING"))
        .body("devices.find { it.deviceId == 'pz-0' }.status", equalTo("ASSIGNED"));

    publish(Topics.DEVICE_FEEDBACK, new DeviceFeedback("pz-0", id, buildKey, FeedbackStatus.FAILED, "checksum",
        Instant.now()));
    await().atMost(TIMEOUT).untilAsserted(() -> asAdmin().get("/api/rollouts/" + id).then()
        .body("status", equalTo("PAUSED"))
        .body("statusReason", org.hamcrest.Matchers.containsString("error threshold breached: 1 of 1")));

    // retry while paused: re-queued, assigned on resume with a new revision
    long before = asDevice("pz-0").get("/api/devices/pz-0/assignment").jsonPath().getLong("revision");
    asAdmin().post("/api/rollouts/" + id + "/retry-failed").then().statusCode(200).body("status", equalTo("PAUSED"))
        .body("devices.find { it.deviceId == 'pz-0' }.status", equalTo("WAITING_FOR_BUILD"));
    asAdmin().post("/api/rollouts/" + id + "/resume").then().statusCode(200).body("status", equalTo("RUNNING"))
        .body("devices.find { it.deviceId == 'pz-0' }.status", equalTo("ASSIGNED"));
    assertThat(asDevice("pz-0").get("/api/devices/pz-0/assignment").jsonPath().getLong("revision")).isEqualTo(before + 1);

    publish(Topics.DEVICE_FEEDBACK, new DeviceFeedback("pz-0", id, buildKey, FeedbackStatus.RUNNING, null,
        Instant.now()));
    await().atMost(TIMEOUT).untilAsserted(() -> asAdmin().get("/api/rollouts/" + id).then()
        .body("groups[1].status", equalTo("RUNNING")).body("currentGroup", equalTo(1)));

    // a device registering now joins the current group (dynamic rollout) and is assigned at once
    register("pz-late", "pause-fleet", HW);
    await().atMost(TIMEOUT).untilAsserted(() -> asAdmin().get("/api/rollouts/" + id).then()
        .body("devices.find { it.deviceId == 'pz-late' }.group", equalTo(1))
        .body("devices.find { it.deviceId == 'pz-late' }.status", equalTo("ASSIGNED")));

    asAdmin().post("/api/rollouts/" + id + "/pause").then().statusCode(200).body("status", equalTo("PAUSED"));
    asAdmin().post("/api/rollouts/" + id + "/next-group").then().statusCode(200).body("currentGroup", equalTo(2))
        .body("groups[2].status", equalTo("RUNNING"))
        .body("devices.find { it.deviceId == 'pz-2' }.status", equalTo("WAITING_FOR_BUILD"));
    asAdmin().post("/api/rollouts/" + id + "/next-group").then().statusCode(409);
    asAdmin().queryParam("reason", "enough for today").post("/api/rollouts/" + id + "/stop").then().statusCode(200)
        .body("status", equalTo("STOPPED")).body("statusReason", equalTo("enough for today"))
        .body("devices.find { it.deviceId == 'pz-2' }.status", equalTo("CANCELLED"))
        .body("devices.find { it.deviceId == 'pz-late' }.status", equalTo("ASSIGNED"));
    asAdmin().post("/api/rollouts/" + id + "/pause").then().statusCode(409);
    asAdmin().post("/api/rollouts/nope/pause").then().statusCode(404).body("code", equalTo("rollout.not-found"));
  }

  // ------------------------------------------------------------------------------- planner-driven profiles

  private static final HardwareProfile NPU_HW = new HardwareProfile("aarch64", "Cortex-A55", 4, 2L << 30, 16L << 30,
      List.of("asimd"), new AcceleratorInfo("npu", List.of("INT8")), "Linux 6", "2.19.0");

  @Test
  @Order(18)
  void shouldStartAScheduledRolloutAtItsStartTimeAndShowDeviceConnectivity() {
    register("sched-1", "sched-fleet", HW);
    java.time.Instant startAt = java.time.Instant.now().plusSeconds(3);
    asAdmin().contentType(ContentType.JSON).body(Map.of("name", "both", "modelId", modelId, "maxAccuracyDrop", 0.05,
        "deviceFilter", Map.of("tag", "sched-fleet"), "autoStart", false, "startAt", startAt.toString()))
        .post("/api/rollouts").then().statusCode(400).body("code", equalTo("request.invalid"));

    Response created = asAdmin().contentType(ContentType.JSON).body(Map.of("name", "maintenance-window",
        "modelId", modelId, "maxAccuracyDrop", 0.05, "deviceFilter", Map.of("tag", "sched-fleet"),
        "startAt", startAt.toString())).post("/api/rollouts");
    assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
    String id = created.jsonPath().getString("id");
    assertThat(created.jsonPath().getString("status")).isEqualTo("CREATED");
    assertThat(created.jsonPath().getString("statusReason")).startsWith("scheduled to start at");

    await().atMost(TIMEOUT).untilAsserted(() -> asAdmin().get("/api/rollouts/" + id).then()
        .body("status", equalTo("RUNNING"))
        .body("history.find { it.action == 'START' }.reason", startsWith("scheduled start at")));
    assertThat(java.time.Instant.now()).isAfterOrEqualTo(startAt);
    asAdmin().post("/api/rollouts/" + id + "/stop").then().statusCode(200);

    asDevice("sched-1").get("/api/devices/sched-1/assignment").then().statusCode(200);
    asAdmin().get("/api/devices/sched-1").then().statusCode(200).body("connectivity", equalTo("ONLINE"));
  }

  @Test
  @Order(16)
  void shouldExplainPlansAndFrontiersPerHardwareClassAndRefuseInfeasibleRollouts() {
    register("npu-0", "npu-fleet", NPU_HW);
    String cpuClass = HardwareClass.of(HW);
    String npuClass = HardwareClass.of(NPU_HW);

    Response cpu = asAdmin().queryParam("hardwareClass", cpuClass).queryParam("maxAccuracyDrop", 0.05)
        .get("/api/models/" + modelId + "/plans");
    assertThat(cpu.statusCode()).as(cpu.asString()).isEqualTo(200);
    assertThat(cpu.jsonPath().getString("mode")).isEqualTo("FLOAT16");
    assertThat(cpu.jsonPath().getString("buildKey")).isEqualTo(buildKey); // the build the rollouts use
    assertThat(cpu.jsonPath().getList("explanation.baselines.precision")).contains("int8", "float16", "float32");

    Response npu = asAdmin().queryParam("hardwareClass", npuClass).queryParam("maxAccuracyDrop", 0.05)
        .get("/api/models/" + modelId + "/plans");
    assertThat(npu.statusCode()).as(npu.asString()).isEqualTo(200);
    assertThat(npu.jsonPath().getString("mode")).isEqualTo("FULL_INT8");
    assertThat(npu.jsonPath().getMap("layerPrecisions")).isEmpty();
    assertThat(npu.jsonPath().getString("explanation.constraints.find { it.name == 'allowedPrecisions' }.value"))
        .isEqualTo("[int8]");
    assertThat(npu.jsonPath().getDouble("explanation.predicted.predictedLoss")).isCloseTo(0.01, offset(1e-6));

    // int8 loses 0.01 on this model: an int8-only NPU cannot meet a 0.005 accuracy SLO
    Response infeasible = asAdmin().queryParam("hardwareClass", npuClass).queryParam("maxAccuracyDrop", 0.005)
        .get("/api/models/" + modelId + "/plans");
    assertThat(infeasible.statusCode()).as(infeasible.asString()).isEqualTo(422);
    assertThat(infeasible.contentType()).startsWith("application/problem+json");
    assertThat(infeasible.jsonPath().getString("code")).isEqualTo("plan.infeasible");
    assertThat(infeasible.jsonPath().getString("hardwareClass")).isEqualTo(npuClass);
    assertThat(infeasible.jsonPath().getString("constraint")).isEqualTo("maxAccuracyDrop");
    assertThat(infeasible.jsonPath().getDouble("smallestAchievable")).isCloseTo(0.01, offset(1e-6));
    int rollouts = asAdmin().get("/api/rollouts").jsonPath().getList("$").size();
    Response refused = asAdmin().contentType(ContentType.JSON).body(Map.of("name", "npu-too-strict", "modelId",
        modelId, "maxAccuracyDrop", 0.005, "deviceFilter", Map.of("tag", "npu-fleet"))).post("/api/rollouts");
    assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(422);
    assertThat(refused.jsonPath().getString("code")).isEqualTo("plan.infeasible");
    assertThat(refused.jsonPath().getString("detail")).contains(npuClass).contains("maxAccuracyDrop 0.005")
        .contains("0.01");
    assertThat(asAdmin().get("/api/rollouts").jsonPath().getList("$")).hasSize(rollouts);

    Response size = asAdmin().queryParam("hardwareClass", cpuClass).queryParam("axis", "size")
        .get("/api/models/" + modelId + "/pareto");
    assertThat(size.statusCode()).as(size.asString()).isEqualTo(200);
    assertThat(size.jsonPath().getList("points")).isNotEmpty();
    assertThat(size.jsonPath().getString("points[0].mode")).isEqualTo("FLOAT16"); // the smallest build
    assertThat(size.jsonPath().getString("points[-1].layerPrecisions['0:FULLY_CONNECTED']")).isEqualTo("float32");
    Response latency = asAdmin().queryParam("hardwareClass", cpuClass).queryParam("axis", "latency")
        .get("/api/models/" + modelId + "/pareto");
    assertThat(latency.statusCode()).as(latency.asString()).isEqualTo(200);
    assertThat(latency.jsonPath().getString("points[0].layerPrecisions['0:FULLY_CONNECTED']")).isEqualTo("int8");
    asAdmin().queryParam("hardwareClass", cpuClass).queryParam("axis", "colour")
        .get("/api/models/" + modelId + "/pareto").then().statusCode(400).body("code", equalTo("request.invalid"));
    asAdmin().queryParam("hardwareClass", "hc-nothing").queryParam("maxAccuracyDrop", 0.05)
        .get("/api/models/" + modelId + "/plans").then().statusCode(404)
        .contentType("application/problem+json").body("code", equalTo("hardware-class.not-found"));
    asAdmin().queryParam("hardwareClass", cpuClass).queryParam("maxAccuracyDrop", 0.05)
        .get("/api/models/nope/plans").then().statusCode(404).body("code", equalTo("model.not-found"));
    asAdmin().queryParam("hardwareClass", cpuClass).get("/api/models/" + modelId + "/plans").then().statusCode(400);
  }

  @Test
  @Order(17)
  void shouldRecordAFailedAnalysisReRequestItAndDeadLetterResultsForUnknownModels() {
    byte[] model3 = TinyModels.classifier(11);
    String model3Id;
    try (KafkaConsumer<String, byte[]> requests = consumer(Topics.ANALYSIS_REQUESTS);
        KafkaConsumer<String, byte[]> dlq = consumer(Topics.deadLetter(Topics.ANALYSIS_RESULTS))) {
      Response upload = asAdmin().multiPart("name", "tiny-failing").multiPart("model", "m.tflite", model3)
          .multiPart("calibration", "c.efs", CALIBRATION).multiPart("eval", "e.efs", EVAL).post("/api/models");
      assertThat(upload.statusCode()).as(upload.asString()).isEqualTo(201);
      model3Id = upload.jsonPath().getString("id");
      String id = model3Id;
      awaitEvent(requests, AnalysisRequested.class, e -> id.equals(e.modelId()));

      publish(Topics.ANALYSIS_RESULTS, new AnalysisFailed(id, BuildKeys.sha256Hex(model3), "RUNTIME_ERROR",
          "worker ran out of memory", true, "it-worker", Instant.now()));
      await().atMost(TIMEOUT).untilAsserted(() -> asAdmin().get("/api/models/" + id).then()
          .body("analysisStatus", equalTo("FAILED")).body("analysisError.code", equalTo("RUNTIME_ERROR"))
          .body("analysisError.retriable", equalTo(true)));
      asAdmin().contentType(ContentType.JSON).body(Map.of("name", "after-failure", "modelId", id,
          "maxAccuracyDrop", 0.05)).post("/api/rollouts").then().statusCode(409)
          .body("code", equalTo("model.analysis-failed"))
          .body("detail", org.hamcrest.Matchers.containsString("worker ran out of memory"));

      // the operator asks again: the request is re-published and the model is PENDING again
      asAdmin().post("/api/models/" + id + "/analysis").then().statusCode(202).body("analysisStatus", equalTo("PENDING"));
      AnalysisRequested again = awaitEvent(requests, AnalysisRequested.class, e -> id.equals(e.modelId()));
      assertThat(again.modelSha256()).isEqualTo(BuildKeys.sha256Hex(model3));

      // a result for a model nobody registered is dead-lettered; the consumer carries on with the next record
      byte[] stranger = TinyModels.classifier(12);
      publish(Topics.ANALYSIS_RESULTS, Analyses.of("no-such-model", stranger, Analyses.typical()));
      publish(Topics.ANALYSIS_RESULTS, Analyses.of(id, model3, Analyses.typical()));
      List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
      await().atMost(TIMEOUT).until(() -> {
        dlq.poll(Duration.ofMillis(500)).forEach(dead::add);
        return !dead.isEmpty();
      });
      assertThat(header(dead.get(0), Topics.DLQ_REASON_HEADER)).startsWith("event.rejected")
          .contains("no-such-model");
      assertThat(header(dead.get(0), Topics.DLQ_SOURCE_TOPIC_HEADER)).isEqualTo(Topics.ANALYSIS_RESULTS);
      await().atMost(TIMEOUT).untilAsserted(() -> asAdmin().get("/api/models/" + id).then()
          .body("analysisStatus", equalTo("READY")));
      asAdmin().post("/api/models/" + id + "/analysis").then().statusCode(409)
          .body("code", equalTo("model.analysis-ready"));
    }
  }

  @Inject TelemetryService telemetryService;
  @Inject EntityManager em;

  @Test
  @Order(18)
  void shouldRebuildBackfilledMinuteHistogramsToTheSameAggregate() {
    TelemetryAggregate before = telemetryService.forBuild(buildKey);
    assertThat(before.p50Micros()).isNotNull();
    // what the V12 migration leaves for minutes that existed before the rollup: sums, but no merged histogram yet
    int marked = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
        "UPDATE telemetry_minute SET histogram = NULL, histogram_stale = TRUE WHERE build_key = ?1")
        .setParameter(1, buildKey).executeUpdate());
    assertThat(marked).isPositive();
    assertThat(telemetryService.forBuild(buildKey).p50Micros()).isNull();

    telemetryService.rebuildStaleHistograms();

    TelemetryAggregate after = telemetryService.forBuild(buildKey);
    assertThat(after).usingRecursiveComparison().isEqualTo(before);
  }

  private void register(String id, String tags, HardwareProfile hw) {
    DeviceRegistration reg = new DeviceRegistration(id, id, hw, "0.1.0", Map.of("tags", tags));
    asDevice(reg.deviceId()).contentType(ContentType.JSON).body(json(reg)).post("/api/devices").then().statusCode(201);
  }

  private void healthy(String device, String rollout, long seq, long reference, long agreement) {
    publish(Topics.DEVICE_FEEDBACK, new DeviceFeedback(device, rollout, buildKey, FeedbackStatus.RUNNING, null,
        Instant.now()));
    telemetryOnly(device, rollout, seq, reference, agreement);
  }

  private void telemetryOnly(String device, String rollout, long seq, long reference, long agreement) {
    publish(Topics.TELEMETRY, telemetryOf(device, seq, buildKey, rollout, reference, agreement));
  }

  private InferenceTelemetry telemetryOf(String device, long seq, String build, String rollout, long reference,
      long agreement) {
    InferenceTelemetry t = telemetry(device, seq, range(1_000, 2_000, (int) reference), reference, agreement,
        reference, agreement);
    return new InferenceTelemetry(device, seq, build, rollout, t.hardwareClass(), t.windowStart(), t.windowEnd(),
        t.latency(), reference, agreement, reference, agreement, 0, 2, null);
  }

  private void completeBuild(BuildRequested request, byte[] artifact) throws Exception {
    String artifactSha = BuildKeys.sha256Hex(artifact);
    minio().putObject(PutObjectArgs.builder().bucket(bucket).object("builds/" + artifactSha + ".tflite")
        .stream(new ByteArrayInputStream(artifact), artifact.length, -1).build());
    publish(Topics.BUILD_RESULTS, new BuildCompleted(request.buildKey(), request.modelSha256(),
        request.plan().planHash(), "builds/" + artifactSha + ".tflite", artifactSha, artifact.length, "c2ln",
        "key-1", null, new BuildMetrics(32, 0.5, 0.47, 0.94, 1000, 120.0, 300.0), "it-worker", 1000, Instant.now()));
  }

  // ------------------------------------------------------------------------------------------------- helpers

  private InferenceTelemetry telemetry(String device, long seq, long[] latencies, long labelled, long correct,
      long reference, long agreement) {
    Histogram h = LatencyHistograms.empty();
    for (long v : latencies) {
      h.recordValue(v);
    }
    Instant end = Instant.now();
    LatencyStats stats = new LatencyStats(latencies.length, h.getValueAtPercentile(50), h.getValueAtPercentile(95),
        h.getValueAtPercentile(99), h.getMaxValue(), h.getMean(), LatencyHistograms.encode(h));
    return new InferenceTelemetry(device, seq, buildKey, rolloutId, HardwareClass.of(HW), end.minusSeconds(5), end,
        stats, labelled, correct, reference, agreement, 0, 2, null);
  }

  private static long[] range(long from, long to, int n) {
    long[] v = new long[n];
    for (int i = 0; i < n; i++) {
      v[i] = from + (to - from) * i / n;
    }
    return v;
  }

  private static long[] concat(long[] a, long[] b) {
    long[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    Arrays.sort(all);
    return all;
  }

  private static double nearestRank(long[] sorted, double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  private static org.assertj.core.data.Offset<Double> within(long[] sorted, double p) {
    return org.assertj.core.data.Offset.offset(nearestRank(sorted, p) * 0.001 + 1);
  }

  private static org.assertj.core.data.Offset<Double> offset() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }

  private static org.assertj.core.data.Offset<Double> offset(double value) {
    return org.assertj.core.data.Offset.offset(value);
  }

  private static String header(ConsumerRecord<String, byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static FleetEvent decode(byte[] value) {
    try {
      return CODEC.decode(value).event();
    } catch (io.edgefleet.schemas.codec.EventDecodingException e) {
      throw new IllegalStateException("undecodable record", e);
    }
  }

  private static String json(Object o) {
    try {
      return EventCodec.mapper().writeValueAsString(o);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private MinioClient minio() {
    return MinioClient.builder().endpoint(s3Endpoint).credentials(s3AccessKey, s3SecretKey).build();
  }

  private boolean objectExists(String key) throws Exception {
    MinioClient c = minio();
    assertThat(c.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())).isTrue();
    try {
      c.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
      return true;
    } catch (ErrorResponseException e) {
      return false;
    }
  }

  private static byte[] download(String url) throws Exception {
    HttpResponse<byte[]> r = HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  private KafkaProducer<String, byte[]> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  private void publish(String topic, FleetEvent event) {
    try (KafkaProducer<String, byte[]> producer = producer()) {
      producer.send(new ProducerRecord<>(topic, event.key(), CODEC.encode(event, "/it"))).get();
    } catch (Exception e) {
      throw new IllegalStateException("cannot publish to " + topic, e);
    }
  }

  @Inject EventPublisher eventPublisher;

  /**
   * Regression: the acknowledgement of a desired state used to run on the producer thread with the publishing
   * transaction propagated to it, and a commit racing with that callback failed ("committing with 2 threads active",
   * "Enlisted connection used without active transaction"), rolling back a rollout verb or evaluation now and then.
   * Each transaction here reads the database (enlisting a connection) and publishes one desired state, as an
   * assignment does; every one of them must commit.
   */
  @Test
  @Order(19)
  void shouldCommitEveryTransactionThatPublishesADesiredState() {
    int transactions = 300;
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < transactions; i++) {
      String device = "tx-race-" + i;
      try {
        QuarkusTransaction.requiringNew().run(() -> {
          em.createNativeQuery("SELECT count(*) FROM desired_state").getSingleResult();
          eventPublisher.publish(new DesiredState(device, 1, null, null, null, 0, null, null, 0.05, Instant.now()));
        });
      } catch (RuntimeException e) {
        failures.add(device + ": " + e);
      }
    }
    assertThat(failures).as("%d of %d transactions failed to commit after publishing, e.g. %s", failures.size(),
        transactions, failures.stream().limit(3).toList()).isEmpty();
  }

  @Test
  @Order(20)
  void shouldServeTheLatestOperatorProfileOfEachDevicePerHardwareClass() {
    InferenceTelemetry base = telemetry("op-dev-1", 9001, range(1_000, 2_000, 10), 10, 10, 10, 10);
    Instant at = base.windowEnd();
    publish(Topics.TELEMETRY, profiled(base, "op-dev-1", 9001, at, 300, 30));
    publish(Topics.TELEMETRY, profiled(base, "op-dev-2", 9001, at, 100, 10));
    // an older profile of op-dev-1 arriving late never replaces the newer one
    publish(Topics.TELEMETRY, profiled(base, "op-dev-1", 9002, at.minusSeconds(60), 900, 90));
    await().atMost(TIMEOUT).until(() -> ((Number) QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
        "SELECT count(*) FROM telemetry_batch WHERE device_id IN ('op-dev-1', 'op-dev-2')").getSingleResult()))
        .intValue() == 3);

    Response ops = asViewer().get("/api/telemetry/builds/" + buildKey + "/ops");
    assertThat(ops.statusCode()).as(ops.asString()).isEqualTo(200);
    assertThat(ops.jsonPath().getList("classes.hardwareClass")).containsExactly(HardwareClass.of(HW));
    assertThat(ops.jsonPath().getInt("classes[0].devices")).isEqualTo(2);
    assertThat(ops.jsonPath().getList("classes[0].ops.op")).containsExactly("CONV_2D", "FULLY_CONNECTED");
    assertThat(ops.jsonPath().getDouble("classes[0].ops[0].medianMicros")).isCloseTo(200, offset());
    assertThat(ops.jsonPath().getDouble("classes[0].ops[0].maxMicros")).isCloseTo(300, offset());
    assertThat(ops.jsonPath().getDouble("classes[0].totalMedianMicros")).isCloseTo(220, offset());
    assertThat(ops.jsonPath().getDouble("classes[0].ops[0].share")).isCloseTo(200.0 / 220, org.assertj.core.api.Assertions.within(1e-6));

    asViewer().get("/api/telemetry/builds/no-such-build/ops").then().statusCode(404)
        .contentType("application/problem+json");
  }

  /**
   * The closed latency loop: the per-operator profiles stored by the previous test (two devices of the CPU class on
   * the model's FLOAT16 build: 330 µs and 110 µs per inference, against 38 µs the worker host measured for float16)
   * turn the class's latency table into device time (× 220/38, the median ratio). A p95 budget of 100 µs that the
   * worker-host float16 figure meets is not met on these devices, so the planner picks int8 (15 µs on the worker,
   * 86.8 µs on the devices); a class without profiles keeps the worker-host table.
   */
  @Test
  @Order(21)
  void shouldPlanAgainstTheDevicesMeasuredLatencyOnceTheClassProfiledTheModel() {
    String cpuClass = HardwareClass.of(HW);
    double factor = 220.0 / 38.0;
    Response calibrated = asAdmin().queryParam("hardwareClass", cpuClass).queryParam("maxAccuracyDrop", 0.05)
        .queryParam("maxLatencyMicros", 100).get("/api/models/" + modelId + "/plans");
    assertThat(calibrated.statusCode()).as(calibrated.asString()).isEqualTo(200);
    assertThat(calibrated.jsonPath().getString("mode")).isEqualTo("FULL_INT8");
    assertThat(calibrated.jsonPath().getDouble("explanation.predicted.latencyMicros")).isCloseTo(15 * factor,
        offset(1e-3));
    assertThat(calibrated.jsonPath().getString("explanation.predicted.latencyHost")).contains("devices of " + cpuClass)
        .contains(String.format(java.util.Locale.ROOT, "× %.3f", factor)).contains("2 device profile(s) of 1 build(s)");
    assertThat(calibrated.jsonPath().getString(
        "explanation.baselines.find { it.precision == 'float16' }.violations[0]")).contains("latency");

    // without a latency budget the calibration changes no choice: float16 stays the smallest build
    asAdmin().queryParam("hardwareClass", cpuClass).queryParam("maxAccuracyDrop", 0.05)
        .get("/api/models/" + modelId + "/plans").then().statusCode(200).body("mode", equalTo("FLOAT16"));
    // the NPU class never profiled the model: worker-host table
    Response npu = asAdmin().queryParam("hardwareClass", HardwareClass.of(NPU_HW)).queryParam("maxAccuracyDrop", 0.05)
        .queryParam("maxLatencyMicros", 100).get("/api/models/" + modelId + "/plans");
    assertThat(npu.statusCode()).as(npu.asString()).isEqualTo(200);
    assertThat(npu.jsonPath().getString("explanation.predicted.latencyHost")).doesNotContain("devices of");
    assertThat(npu.jsonPath().getDouble("explanation.predicted.latencyMicros")).isCloseTo(15, offset(1e-6));
  }

  private static InferenceTelemetry profiled(InferenceTelemetry t, String device, long seq, Instant end,
      double convMicros, double fcMicros) {
    double total = convMicros + fcMicros;
    return new InferenceTelemetry(device, seq, t.buildKey(), t.rolloutId(), t.hardwareClass(), end.minusSeconds(5),
        end, t.latency(), t.labelledCount(), t.correctCount(), t.referenceCount(), t.agreementCount(), 0, 2,
        List.of(new OpTiming(0, "CONV_2D", convMicros, convMicros, convMicros / total, 20),
            new OpTiming(1, "FULLY_CONNECTED", fcMicros, fcMicros, fcMicros / total, 20)));
  }

  private KafkaConsumer<String, byte[]> consumer(String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    c.subscribe(List.of(topic));
    return c;
  }

  private static <E extends FleetEvent> E awaitEvent(KafkaConsumer<String, byte[]> consumer, Class<E> type,
      java.util.function.Predicate<E> match) {
    List<E> found = new ArrayList<>();
    await().atMost(TIMEOUT).until(() -> {
      for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
        FleetEvent e = CODEC.decode(r.value()).event();
        if (type.isInstance(e) && match.test(type.cast(e))) {
          assertThat(r.key()).isEqualTo(e.key());
          found.add(type.cast(e));
        }
      }
      return !found.isEmpty();
    });
    return found.get(0);
  }
}
