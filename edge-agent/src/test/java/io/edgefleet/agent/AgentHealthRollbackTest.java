package io.edgefleet.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgefleet.agent.config.AgentConfig;
import io.edgefleet.agent.slots.ActiveState;
import io.edgefleet.agent.slots.SlotManager;
import io.edgefleet.agent.telemetry.TelemetrySpool;
import io.edgefleet.agent.testing.ControlPlaneStub;
import io.edgefleet.agent.testing.FileServer;
import io.edgefleet.agent.testing.OfflineAgentSetup;
import io.edgefleet.agent.testing.TinyModels;
import io.edgefleet.quantization.samples.SampleSet;
import io.edgefleet.schemas.api.DeviceAssignment;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.schemas.events.BuildKeys;
import io.edgefleet.schemas.events.DeviceEvent;
import io.edgefleet.schemas.events.DeviceFeedback;
import io.edgefleet.schemas.events.FeedbackStatus;
import io.edgefleet.schemas.signing.ArtifactSignatures;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The post-activation health window of a whole agent: real HTTP endpoints, real slots, the real TFLite runtime. Kafka is
 * unreachable on purpose: every event stays in the disk spool, which the test reads back.
 */
class AgentHealthRollbackTest {
  private static final int SMOKE_SAMPLES = 20;

  @TempDir Path dir;
  private ControlPlaneStub controlPlane;
  private FileServer files;
  private final KeyPair platform = ArtifactSignatures.generateKeyPair();
  private Path publicKey;

  @BeforeEach
  void setUp() throws Exception {
    controlPlane = new ControlPlaneStub();
    files = new FileServer();
    publicKey = OfflineAgentSetup.writeTrustedKey(dir, platform.getPublic());
  }

  @AfterEach
  void tearDown() {
    files.close();
    controlPlane.close();
  }

  private AgentConfig config(String window) {
    return AgentConfig.fromMap(configMap(window));
  }

  private Map<String, String> configMap(String window) {
    Map<String, String> keys = OfflineAgentSetup.offlineConfig("dev-health", controlPlane.url(), dir.resolve("agent"), publicKey);
    keys.put("inference.interval", "2ms");
    keys.put("smoke.max-samples", String.valueOf(SMOKE_SAMPLES));
    keys.put("health.window", window);
    keys.put("health.min-inferences", "20");
    keys.put("health.max-error-rate", "0.05");
    return keys;
  }

  private DeviceAssignment assignment(long revision, String buildKey, byte[] artifact, SampleSet eval, byte[] reference) {
    String sha = BuildKeys.sha256Hex(artifact);
    String base = "/" + buildKey;
    return new DeviceAssignment(
        "dev-health", revision, "rollout-" + revision, buildKey, files.put(base + ".tflite", artifact).toString(), sha,
        artifact.length, ArtifactSignatures.sign(platform.getPrivate(), sha, artifact.length),
        ArtifactSignatures.keyId(platform.getPublic()), files.put(base + ".efs", TinyModels.efs(eval)).toString(),
        reference == null ? null : files.put(base + ".ref.efs", reference).toString(), 0.2, 1, null);
  }

  private ActiveState active() throws Exception {
    Path file = dir.resolve("agent/slots").resolve(SlotManager.ACTIVE_FILE);
    assertThat(file).exists();
    return EventCodec.mapper().readValue(file.toFile(), ActiveState.class);
  }

  /** Feedback events waiting in the spool (Kafka is unreachable), oldest first. */
  private List<DeviceFeedback> spooledFeedback() throws Exception {
    EventCodec codec = new EventCodec();
    List<DeviceFeedback> out = new ArrayList<>();
    try (TelemetrySpool spool = new TelemetrySpool(dir.resolve("agent/spool"), 16 << 20)) {
      for (TelemetrySpool.Pending p : spool.peek(100_000)) {
        DeviceEvent e = codec.decode(p.record().value(), DeviceEvent.class).event();
        if (e instanceof DeviceFeedback) {
          out.add((DeviceFeedback) e);
        }
      }
    }
    return out;
  }

  @Test
  void shouldRollBackABuildFailingItsHealthWindowAndNotInstallItAgainAfterARestart() throws Exception {
    byte[] good = TinyModels.classifier(1);
    SampleSet goodEval = TinyModels.evalSet(good, 64, 11);
    // the bad build passes the smoke test (its first samples are fine) and then produces NaN on most served inputs,
    // as a build that misbehaves only on the device's real traffic would
    byte[] bad = TinyModels.classifier(2);
    SampleSet labelled = TinyModels.evalSet(bad, 100, 12);
    float[][] inputs = Arrays.stream(labelled.inputs()).map(float[]::clone).toArray(float[][]::new);
    for (int i = SMOKE_SAMPLES; i < inputs.length; i++) {
      Arrays.fill(inputs[i], Float.NaN);
    }
    SampleSet badEval = new SampleSet(labelled.sampleShape(), inputs, labelled.labels());

    controlPlane.assign(assignment(1, "build-good", good, goodEval, TinyModels.referenceEfs(good, goodEval)));
    try (Agent agent = Agent.start(config("3s"))) {
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        assertThat(agent.status().activeBuildKey()).isEqualTo("build-good");
        assertThat(active().healthConfirmed()).as("the good build passes its 3 s window").isTrue();
      });

      controlPlane.assign(assignment(2, "build-bad", bad, badEval, null));
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(agent.status().lastFeedback()).isEqualTo(FeedbackStatus.ROLLED_BACK));
      assertThat(agent.status().activeBuildKey()).isEqualTo("build-good");
      assertThat(agent.status().lastFailure()).startsWith("health_check_failed: ");
    }

    ActiveState state = active();
    assertThat(state.active().buildKey()).isEqualTo("build-good");
    assertThat(state.previous().buildKey()).isEqualTo("build-bad");
    assertThat(state.healthConfirmed()).isTrue();
    List<DeviceFeedback> bad1 = spooledFeedback().stream().filter(f -> f.buildKey().equals("build-bad")).toList();
    assertThat(bad1).extracting(DeviceFeedback::status).containsExactly(
        FeedbackStatus.DOWNLOADING, FeedbackStatus.DOWNLOADED, FeedbackStatus.INSTALLING, FeedbackStatus.INSTALLED,
        FeedbackStatus.RUNNING, FeedbackStatus.ROLLED_BACK);
    DeviceFeedback rolledBack = bad1.get(bad1.size() - 1);
    assertThat(rolledBack.rolloutId()).isEqualTo("rollout-2");
    assertThat(rolledBack.reason())
        .matches("health_check_failed: \\d+ of \\d+ inferences failed or had non-finite outputs .* within \\d+s of activation"
            + "; serving previous build build-good from slot a");

    // restarted while the control plane still assigns the bad build: the good one keeps serving, nothing is installed
    int pollsBefore = controlPlane.assignmentRequests();
    try (Agent restarted = Agent.start(config("3s"))) {
      assertThat(restarted.status().activeBuildKey()).isEqualTo("build-good");
      await().atMost(Duration.ofSeconds(30)).until(() -> controlPlane.assignmentRequests() >= pollsBefore + 3);
      assertThat(restarted.status().activeBuildKey()).isEqualTo("build-good");
    }
    assertThat(spooledFeedback().stream().filter(f -> f.buildKey().equals("build-bad")).toList()).hasSameSizeAs(bad1);
  }

  @Test
  void shouldAcknowledgeALaterRolloutOfTheBuildAlreadyRunningWithoutReinstallingIt() throws Exception {
    byte[] model = TinyModels.classifier(5);
    SampleSet eval = TinyModels.evalSet(model, 32, 15);
    controlPlane.assign(assignment(1, "build-same", model, eval, null));
    try (Agent agent = Agent.start(config("0s"))) {
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(spooledFeedback()).extracting(DeviceFeedback::status).contains(FeedbackStatus.RUNNING));
      // a second rollout (new revision) of the same build: it must hear RUNNING too, without a download
      controlPlane.assign(assignment(2, "build-same", model, eval, null));
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(spooledFeedback())
          .filteredOn(f -> f.rolloutId().equals("rollout-2")).extracting(DeviceFeedback::status)
          .containsExactly(FeedbackStatus.RUNNING));
    }
    assertThat(spooledFeedback()).filteredOn(f -> f.status() == FeedbackStatus.DOWNLOADING).hasSize(1);
  }

  @Test
  void shouldResumeTheHealthWindowAfterARestartAndRollBackThen() throws Exception {
    byte[] good = TinyModels.classifier(3);
    SampleSet goodEval = TinyModels.evalSet(good, 32, 13);
    controlPlane.assign(assignment(1, "build-good", good, goodEval, null));
    try (Agent agent = Agent.start(config("1s"))) {
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(active().healthConfirmed()).isTrue());
    }
    byte[] bad = TinyModels.classifier(4);
    SampleSet labelled = TinyModels.evalSet(bad, 60, 14);
    float[][] inputs = Arrays.stream(labelled.inputs()).map(float[]::clone).toArray(float[][]::new);
    for (int i = SMOKE_SAMPLES; i < inputs.length; i++) {
      Arrays.fill(inputs[i], Float.NaN);
    }
    // installed with a slow serving loop so that the agent stops before its window ends
    controlPlane.assign(assignment(2, "build-bad", bad, new SampleSet(labelled.sampleShape(), inputs, labelled.labels()), null));
    Map<String, String> slow = configMap("1h");
    slow.put("inference.interval", "1h");
    try (Agent agent = Agent.start(AgentConfig.fromMap(slow))) {
      await().atMost(Duration.ofSeconds(30)).until(() -> "build-bad".equals(agent.status().activeBuildKey()));
    }
    assertThat(active().active().buildKey()).isEqualTo("build-bad");
    assertThat(active().healthConfirmed()).as("stopped inside the window").isFalse();

    try (Agent restarted = Agent.start(config("3s"))) {
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        assertThat(restarted.status().lastFeedback()).isEqualTo(FeedbackStatus.ROLLED_BACK);
        assertThat(restarted.status().activeBuildKey()).isEqualTo("build-good");
      });
    }
    assertThat(active().active().buildKey()).isEqualTo("build-good");
  }
}
