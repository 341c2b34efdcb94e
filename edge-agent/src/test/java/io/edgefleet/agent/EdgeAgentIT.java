package io.edgefleet.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgefleet.agent.config.AgentConfig;
import io.edgefleet.agent.testing.ControlPlaneStub;
import io.edgefleet.agent.testing.TinyModels;
import io.edgefleet.quantization.quantize.QuantizationMode;
import io.edgefleet.quantization.quantize.Quantizer;
import io.edgefleet.quantization.samples.SampleSet;
import io.edgefleet.schemas.api.DeviceAssignment;
import io.edgefleet.schemas.api.DeviceRegistration;
import io.edgefleet.schemas.api.HardwareClass;
import io.edgefleet.schemas.events.BuildKeys;
import io.edgefleet.schemas.events.DeviceFeedback;
import io.edgefleet.schemas.events.FeedbackStatus;
import io.edgefleet.schemas.events.InferenceTelemetry;
import io.edgefleet.schemas.signing.ArtifactSignatures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent against the real local stack (Kafka broker, S3 server). {@link ControlPlaneStub} stands in for the
 * control plane's device endpoints (enrolment, register, assignment); artifacts, evaluation samples and reference
 * outputs are served by the real S3 server through presigned URLs. The quantized artifact is a real int8 build of a
 * float model.
 */
class EdgeAgentIT {
  @RegisterExtension static final AgentTestStack stack = new AgentTestStack();

  @TempDir Path dir;
  private ControlPlaneStub controlPlane;
  private AgentTestStack.DeviceEvents events;

  @BeforeEach
  void startControlPlaneAndConsumer() throws IOException {
    // URLs are presigned at request time, as the control plane does (the stored assignment holds object names)
    controlPlane = new ControlPlaneStub(a -> stack.served(a, stack.presign(a.artifactUrl())), null);
    events = stack.subscribe("edge-agent-it-");
  }

  @AfterEach
  void stop() {
    events.close();
    controlPlane.close();
  }

  private void drainKafka() {
    events.drainCheckingKeys();
  }

  private List<DeviceFeedback> feedback(String deviceId) {
    return events.of(DeviceFeedback.class, deviceId);
  }

  private List<InferenceTelemetry> telemetry(String deviceId) {
    return events.of(InferenceTelemetry.class, deviceId);
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
    keys.put("control-plane.url", controlPlane.url());
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
    stack.upload("builds/" + artifactSha + ".tflite", artifact);
    stack.upload(evalObject, evalBytes);
    stack.upload(referenceObject, reference);

    KeyPair platform = ArtifactSignatures.generateKeyPair();
    Path publicKey = dir.resolve("platform.pub.pem");
    Files.writeString(publicKey, ArtifactSignatures.toPem(platform.getPublic()));
    String run = UUID.randomUUID().toString().substring(0, 8);
    String deviceId = "it-device-" + run;
    String otherId = "it-other-" + run;
    String buildKey = BuildKeys.of(BuildKeys.sha256Hex(floatModel), "plan-full-int8");
    controlPlane.assign(assignmentFor(deviceId, buildKey, artifactSha, artifact, platform, evalObject, referenceObject));
    controlPlane.assign(assignmentFor(otherId, buildKey, artifactSha, artifact, platform, evalObject, referenceObject));
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

    DeviceRegistration registration = controlPlane.registrations().stream().filter(r -> r.deviceId().equals(deviceId)).findFirst().orElseThrow();
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
