package io.edgefleet.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.edgefleet.agent.config.AgentConfig;
import io.edgefleet.agent.testing.TinyModels;
import io.edgefleet.localstack.LocalStack;
import io.edgefleet.localstack.LocalStackConfig;
import io.edgefleet.quantization.quantize.QuantizationMode;
import io.edgefleet.quantization.quantize.Quantizer;
import io.edgefleet.quantization.samples.SampleSet;
import io.edgefleet.schemas.Topics;
import io.edgefleet.schemas.api.DeviceAssignment;
import io.edgefleet.schemas.api.DeviceRegistered;
import io.edgefleet.schemas.api.DeviceRegistration;
import io.edgefleet.schemas.api.HardwareClass;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.schemas.events.BuildKeys;
import io.edgefleet.schemas.events.DeviceEvent;
import io.edgefleet.schemas.events.DeviceFeedback;
import io.edgefleet.schemas.events.FeedbackStatus;
import io.edgefleet.schemas.events.InferenceTelemetry;
import io.edgefleet.schemas.signing.ArtifactSignatures;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.http.Method;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent against the real local stack (Kafka broker, S3 server). A small JDK HTTP server stands in for the
 * control plane's two device endpoints (register, assignment); artifacts, evaluation samples and reference outputs are
 * served by the real S3 server through presigned URLs. The quantized artifact is a real int8 build of a float model.
 */
class EdgeAgentIT {
  private static LocalStack stack;
  private static MinioClient s3;

  @TempDir Path dir;
  private HttpServer controlPlane;
  private final io.edgefleet.agent.testing.DeviceAuthStub deviceAuth = new io.edgefleet.agent.testing.DeviceAuthStub();
  private final List<DeviceRegistration> registrations = new CopyOnWriteArrayList<>();
  private final Map<String, DeviceAssignment> assignments = new ConcurrentHashMap<>();
  private final EventCodec codec = new EventCodec();
  private KafkaConsumer<String, byte[]> consumer;
  private final List<DeviceEvent> received = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startStack() {
    stack = LocalStack.start(LocalStackConfig.builder().dataDir(Path.of("target", "it-local-stack-" + UUID.randomUUID())).build());
    s3 = MinioClient.builder().endpoint(stack.s3Endpoint()).credentials(stack.s3AccessKey(), stack.s3SecretKey()).build();
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @BeforeEach
  void startControlPlaneAndConsumer() throws IOException {
    controlPlane = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    controlPlane.createContext("/api/devices", this::handle);
    controlPlane.start();
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "edge-agent-it-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(Topics.TELEMETRY, Topics.DEVICE_FEEDBACK));
  }

  @AfterEach
  void stop() {
    consumer.close();
    controlPlane.stop(0);
  }

  /** The control plane's device endpoints, honestly reduced to what a device sees. */
  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      if (deviceAuth.handleEnrolment(ex)) {
        return;
      }
      if (ex.getRequestMethod().equals("POST") && path.equals("/api/devices")) {
        DeviceRegistration r = EventCodec.mapper().readValue(ex.getRequestBody().readAllBytes(), DeviceRegistration.class);
        if (!deviceAuth.authorize(ex, r.deviceId())) {
          return;
        }
        registrations.add(r);
        respond(ex, 201, EventCodec.mapper().writeValueAsBytes(new DeviceRegistered(r.deviceId(), HardwareClass.of(r.hardware()), 1)), null);
        return;
      }
      String[] parts = path.split("/");
      if (parts.length == 5 && parts[4].equals("assignment") && !deviceAuth.authorize(ex, parts[3])) {
        return;
      }
      DeviceAssignment a = parts.length == 5 && parts[4].equals("assignment") ? assignments.get(parts[3]) : null;
      if (ex.getRequestMethod().equals("GET") && a != null) {
        String etag = "\"" + a.revision() + "\"";
        if (etag.equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
          ex.getResponseHeaders().add("ETag", etag);
          ex.sendResponseHeaders(304, -1);
          return;
        }
        respond(ex, 200, EventCodec.mapper().writeValueAsBytes(presigned(a)), etag);
        return;
      }
      ex.sendResponseHeaders(404, -1);
    }
  }

  private static void respond(HttpExchange ex, int status, byte[] body, String etag) throws IOException {
    ex.getResponseHeaders().add("Content-Type", "application/json");
    if (etag != null) {
      ex.getResponseHeaders().add("ETag", etag);
    }
    ex.sendResponseHeaders(status, body.length);
    ex.getResponseBody().write(body);
  }

  /** URLs are presigned at request time, as the control plane does (the stored assignment holds object names). */
  private static DeviceAssignment presigned(DeviceAssignment a) {
    return new DeviceAssignment(
        a.deviceId(), a.revision(), a.rolloutId(), a.buildKey(), presign(a.artifactUrl()), a.artifactSha256(), a.sizeBytes(),
        a.signature(), a.signingKeyId(), presign(a.evalSetUrl()), presign(a.referenceOutputsUrl()), a.maxAccuracyDrop(),
        a.pollIntervalSeconds(), Instant.now().plusSeconds(900));
  }

  private static String presign(String object) {
    try {
      return s3.getPresignedObjectUrl(
          GetPresignedObjectUrlArgs.builder().method(Method.GET).bucket(stack.s3Bucket()).object(object).expiry(15, TimeUnit.MINUTES).build());
    } catch (Exception e) {
      throw new IllegalStateException("cannot presign " + object, e);
    }
  }

  private static void upload(String object, byte[] bytes) throws Exception {
    s3.putObject(
        PutObjectArgs.builder().bucket(stack.s3Bucket()).object(object).stream(new ByteArrayInputStream(bytes), bytes.length, -1).build());
  }

  private void drainKafka() {
    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
      try {
        DeviceEvent e = codec.decode(r.value(), DeviceEvent.class).event();
        assertThat(r.key()).isEqualTo(e.deviceId());
        received.add(e);
      } catch (io.edgefleet.schemas.codec.EventDecodingException e) {
        throw new AssertionError("undecodable record on " + r.topic() + ": " + e.getMessage(), e);
      }
    }
  }

  private List<DeviceFeedback> feedback(String deviceId) {
    return received.stream().filter(e -> e instanceof DeviceFeedback && e.deviceId().equals(deviceId)).map(e -> (DeviceFeedback) e).toList();
  }

  private List<InferenceTelemetry> telemetry(String deviceId) {
    return received.stream().filter(e -> e instanceof InferenceTelemetry && e.deviceId().equals(deviceId)).map(e -> (InferenceTelemetry) e).toList();
  }

  private static final System.Logger LOG = System.getLogger(EdgeAgentIT.class.getName());

  private DeviceAssignment assignmentFor(String deviceId, String buildKey, String artifactSha, byte[] artifact, KeyPair signer,
      String evalObject, String referenceObject) {
    return new DeviceAssignment(
        deviceId, 1, "rollout-it", buildKey, "builds/" + artifactSha + ".tflite", artifactSha, artifact.length,
        ArtifactSignatures.sign(signer.getPrivate(), artifactSha, artifact.length), ArtifactSignatures.keyId(signer.getPublic()),
        evalObject, referenceObject, 0.2, 1, null);
  }

  private AgentConfig config(String deviceId, Path publicKey) {
    Map<String, String> keys = new HashMap<>();
    keys.put("device.id", deviceId);
    keys.put("control-plane.url", "http://127.0.0.1:" + controlPlane.getAddress().getPort());
    keys.put("kafka.bootstrap-servers", stack.kafkaBootstrapServers());
    keys.put("data-dir", dir.resolve(deviceId).toString());
    keys.put("trust.public-keys", publicKey.toString());
    keys.put("accelerator.type", "npu");
    keys.put("accelerator.precisions", "INT8");
    keys.put("telemetry.interval", "1s");
    keys.put("inference.interval", "5ms");
    keys.put("tags", "it,canary");
    keys.put("kafka.producer.request.timeout.ms", "4000");
    keys.put("kafka.producer.delivery.timeout.ms", "10000");
    return AgentConfig.fromMap(keys);
  }

  private static TreeSet<Long> sequences(List<InferenceTelemetry> batches) {
    TreeSet<Long> s = new TreeSet<>();
    batches.forEach(b -> s.add(b.sequence()));
    return s;
  }

  @Test
  void shouldRegisterInstallStreamTelemetrySurviveABrokerOutageAndResumeAfterRestart() throws Exception {
    // a real int8 build of a float model, its float reference outputs and the evaluation samples, in the real S3 server
    byte[] floatModel = TinyModels.classifier(42);
    SampleSet eval = TinyModels.evalSet(floatModel, 200, 43);
    byte[] artifact = Quantizer.quantize(floatModel, QuantizationMode.FULL_INT8, eval).tflite();
    String artifactSha = BuildKeys.sha256Hex(artifact);
    byte[] evalBytes = TinyModels.efs(eval);
    byte[] reference = TinyModels.referenceEfs(floatModel, eval);
    String evalObject = "samples/" + BuildKeys.sha256Hex(evalBytes) + ".efs";
    String referenceObject = "references/" + BuildKeys.sha256Hex(reference) + ".efs";
    upload("builds/" + artifactSha + ".tflite", artifact);
    upload(evalObject, evalBytes);
    upload(referenceObject, reference);

    KeyPair platform = ArtifactSignatures.generateKeyPair();
    Path publicKey = dir.resolve("platform.pub.pem");
    Files.writeString(publicKey, ArtifactSignatures.toPem(platform.getPublic()));
    String run = UUID.randomUUID().toString().substring(0, 8);
    String deviceId = "it-device-" + run;
    String otherId = "it-other-" + run;
    String buildKey = BuildKeys.of(BuildKeys.sha256Hex(floatModel), "plan-full-int8");
    assignments.put(deviceId, assignmentFor(deviceId, buildKey, artifactSha, artifact, platform, evalObject, referenceObject));
    assignments.put(otherId, assignmentFor(otherId, buildKey, artifactSha, artifact, platform, evalObject, referenceObject));
    AgentConfig config = config(deviceId, publicKey);

    long lastSequenceBeforeRestart;
    // two agents in one JVM, as the demo's simulated fleet runs them
    try (Agent agent = Agent.start(config); Agent other = Agent.start(config(otherId, publicKey))) {
      await().atMost(Duration.ofSeconds(90)).pollInSameThread().pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
        drainKafka();
        for (String id : List.of(deviceId, otherId)) {
          assertThat(feedback(id)).extracting(DeviceFeedback::status).contains(FeedbackStatus.RUNNING);
          assertThat(telemetry(id)).filteredOn(t -> t.latency().count() > 0).hasSizeGreaterThanOrEqualTo(2);
        }
      });
      assertThat(agent.status().activeBuildKey()).isEqualTo(buildKey);
      assertThat(agent.status().registered()).isTrue();
      assertThat(other.status().activeBuildKey()).isEqualTo(buildKey);

      // broker outage: telemetry goes to the spool, then is replayed in order when the broker is back
      long emittedBeforeOutage = agent.status().telemetryBatches();
      stack.stopKafka();
      try {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
          assertThat(agent.status().kafkaError()).isNotNull();
          assertThat(agent.status().telemetryBatches()).isGreaterThanOrEqualTo(emittedBeforeOutage + 3);
        });
      } finally {
        stack.startKafka();
      }
      long emittedDuringOutage = agent.status().telemetryBatches();
      await().atMost(Duration.ofSeconds(90)).pollInSameThread().pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
        drainKafka();
        TreeSet<Long> seen = sequences(telemetry(deviceId));
        assertThat(seen.last()).isGreaterThanOrEqualTo(emittedDuringOutage);
        assertThat(seen).as("every batch arrives, none lost").hasSize((int) (long) seen.last()).first().isEqualTo(1L);
      });
      assertThat(agent.status().spoolDropped()).isZero();
      LOG.log(System.Logger.Level.INFO, "outage: {0} batches spooled while the broker was down, all replayed",
          emittedDuringOutage - emittedBeforeOutage);
      lastSequenceBeforeRestart = sequences(telemetry(deviceId)).last();
    }

    DeviceRegistration registration = registrations.stream().filter(r -> r.deviceId().equals(deviceId)).findFirst().orElseThrow();
    assertThat(registration.hardware().arch()).isEqualTo(System.getProperty("os.arch"));
    assertThat(registration.hardware().cores()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(registration.hardware().ramBytes()).isPositive();
    assertThat(registration.hardware().runtimeVersion()).startsWith("tflite-2.");
    assertThat(registration.hardware().accelerator().precisions()).containsExactly("INT8");
    assertThat(registration.attributes()).containsEntry("tags", "it,canary");

    assertThat(feedback(deviceId)).extracting(DeviceFeedback::status).containsSubsequence(
        FeedbackStatus.DOWNLOADING, FeedbackStatus.DOWNLOADED, FeedbackStatus.INSTALLING, FeedbackStatus.INSTALLED,
        FeedbackStatus.RUNNING);
    assertThat(feedback(deviceId)).allSatisfy(f -> {
      assertThat(f.buildKey()).isEqualTo(buildKey);
      assertThat(f.rolloutId()).isEqualTo("rollout-it");
    });
    List<InferenceTelemetry> measured = telemetry(deviceId).stream().filter(t -> t.latency().count() > 0).toList();
    InferenceTelemetry batch = measured.get(0);
    assertThat(batch.buildKey()).isEqualTo(buildKey);
    assertThat(batch.hardwareClass()).isEqualTo(HardwareClass.of(registration.hardware()));
    assertThat(batch.latency().p50Micros()).isPositive();
    assertThat(batch.latency().histogram()).isNotBlank();
    assertThat(batch.labelledCount()).isEqualTo(batch.latency().count());
    assertThat(batch.referenceCount()).isEqualTo(batch.latency().count());
    assertThat(measured).allSatisfy(t -> assertThat(t.errorCount()).isZero());
    long agreementTotal = measured.stream().mapToLong(InferenceTelemetry::agreementCount).sum();
    long referenceTotal = measured.stream().mapToLong(InferenceTelemetry::referenceCount).sum();
    long correctTotal = measured.stream().mapToLong(InferenceTelemetry::correctCount).sum();
    assertThat((double) agreementTotal / referenceTotal).as("int8 agreement with float on device").isGreaterThanOrEqualTo(0.8);
    LOG.log(System.Logger.Level.INFO, "measured: {0} inferences, p50 {1} us, p95 {2} us, p99 {3} us, agreement {4}, accuracy {5}",
        referenceTotal, batch.latency().p50Micros(), batch.latency().p95Micros(), batch.latency().p99Micros(),
        (double) agreementTotal / referenceTotal, (double) correctTotal / referenceTotal);

    // restart on the same data directory: serving resumes from active.json without reinstalling
    long downloadsBefore = feedback(deviceId).stream().filter(f -> f.status() == FeedbackStatus.DOWNLOADING).count();
    try (Agent restarted = Agent.start(config)) {
      assertThat(restarted.status().activeBuildKey()).as("restored before any poll").isEqualTo(buildKey);
      await().atMost(Duration.ofSeconds(60)).pollInSameThread().pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
        drainKafka();
        assertThat(telemetry(deviceId)).anySatisfy(t -> assertThat(t.sequence()).isGreaterThan(lastSequenceBeforeRestart));
      });
    }
    assertThat(feedback(deviceId).stream().filter(f -> f.status() == FeedbackStatus.DOWNLOADING).count()).isEqualTo(downloadsBefore);
  }
}
