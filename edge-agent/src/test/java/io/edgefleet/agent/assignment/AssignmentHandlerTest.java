package io.edgefleet.agent.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefleet.agent.AgentErrorCode;
import io.edgefleet.agent.download.ArtifactDownloader;
import io.edgefleet.agent.download.TrustedKeys;
import io.edgefleet.agent.inference.ServingModel;
import io.edgefleet.agent.slots.SlotManager;
import io.edgefleet.agent.testing.FileServer;
import io.edgefleet.agent.testing.TinyModels;
import io.edgefleet.quantization.samples.SampleSet;
import io.edgefleet.schemas.api.DeviceAssignment;
import io.edgefleet.schemas.events.BuildKeys;
import io.edgefleet.schemas.events.DeviceFeedback;
import io.edgefleet.schemas.events.FeedbackStatus;
import io.edgefleet.schemas.signing.ArtifactSignatures;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Install pipeline against a real HTTP server, real files, real TFLite runtime. */
class AssignmentHandlerTest {
  @TempDir Path dir;
  private FileServer server;
  private final KeyPair platform = ArtifactSignatures.generateKeyPair();
  private final List<DeviceFeedback> feedback = new ArrayList<>();
  private final List<ServingModel> served = new ArrayList<>();
  private SlotManager slots;
  private AssignmentHandler handler;
  private byte[] model1;
  private byte[] model2;
  private SampleSet eval1;
  private SampleSet eval2;

  @BeforeEach
  void setUp() throws IOException {
    server = new FileServer();
    slots = new SlotManager(dir.resolve("slots"), Clock.systemUTC());
    handler =
        new AssignmentHandler(
            "dev-1", dir.resolve("downloads"), new ArtifactDownloader(HttpClient.newHttpClient(), Duration.ofSeconds(10)),
            TrustedKeys.of(List.of(platform.getPublic())), slots, served::add, feedback::add, 1, 1000, Clock.systemUTC());
    model1 = TinyModels.classifier(1);
    model2 = TinyModels.classifier(2);
    eval1 = TinyModels.evalSet(model1, 64, 11);
    eval2 = TinyModels.evalSet(model2, 64, 12);
  }

  @AfterEach
  void tearDown() {
    served.forEach(ServingModel::close);
    server.close();
  }

  private DeviceAssignment publish(String buildKey, byte[] model, SampleSet eval, byte[] reference, KeyPair signer, String keyId, byte[] served, double maxDrop) {
    String sha = BuildKeys.sha256Hex(model);
    server.put("/builds/" + buildKey + ".tflite", served);
    server.put("/samples/" + buildKey + ".efs", TinyModels.efs(eval));
    server.put("/references/" + buildKey + ".efs", reference);
    return new DeviceAssignment(
        "dev-1", 1, "rollout-1", buildKey, server.uri("/builds/" + buildKey + ".tflite").toString(), sha, model.length,
        ArtifactSignatures.sign(signer.getPrivate(), sha, model.length), keyId,
        server.uri("/samples/" + buildKey + ".efs").toString(), server.uri("/references/" + buildKey + ".efs").toString(),
        maxDrop, 5, Instant.now().plusSeconds(900));
  }

  private DeviceAssignment good(String buildKey, byte[] model, SampleSet eval) {
    return publish(buildKey, model, eval, TinyModels.referenceEfs(model, eval), platform,
        ArtifactSignatures.keyId(platform.getPublic()), model, 0.01);
  }

  private void installFirstBuild() {
    InstallOutcome first = handler.install(good("build-1", model1, eval1), false);
    assertThat(first).isInstanceOf(InstallOutcome.Installed.class);
    feedback.clear();
  }

  private void assertPreviousKeepsServing() {
    assertThat(slots.active().orElseThrow().active().buildKey()).isEqualTo("build-1");
    assertThat(served).extracting(ServingModel::buildKey).containsExactly("build-1");
    assertThat(served.get(0).infer(0)).hasSize(TinyModels.CLASSES);
  }

  private void assertFailed(InstallOutcome outcome, AgentErrorCode code) {
    assertThat(outcome).isInstanceOf(InstallOutcome.Failed.class);
    assertThat(((InstallOutcome.Failed) outcome).cause().code()).isEqualTo(code);
    assertThat(feedback).extracting(DeviceFeedback::status).last().isEqualTo(FeedbackStatus.FAILED);
    assertThat(feedback.get(feedback.size() - 1).reason()).startsWith(code.key() + ": ");
  }

  @Test
  void shouldDownloadVerifyStageSmokeTestAndSwitch() {
    DeviceAssignment a = good("build-1", model1, eval1);

    InstallOutcome outcome = handler.install(a, false);

    assertThat(outcome).isInstanceOf(InstallOutcome.Installed.class);
    InstallOutcome.Installed installed = (InstallOutcome.Installed) outcome;
    assertThat(installed.smoke().agreement()).isEqualTo(1.0);
    assertThat(installed.smoke().top1Accuracy()).isEqualTo(1.0);
    assertThat(installed.smoke().samples()).isEqualTo(64);
    assertThat(feedback).extracting(DeviceFeedback::status).containsExactly(
        FeedbackStatus.DOWNLOADING, FeedbackStatus.DOWNLOADED, FeedbackStatus.INSTALLING, FeedbackStatus.INSTALLED,
        FeedbackStatus.RUNNING);
    assertThat(feedback).allSatisfy(f -> {
      assertThat(f.buildKey()).isEqualTo("build-1");
      assertThat(f.rolloutId()).isEqualTo("rollout-1");
    });
    assertThat(feedback.get(3).reason()).contains("agreement=1.0000");
    assertThat(slots.active().orElseThrow().active().slot()).isEqualTo("a");
    assertThat(served).extracting(ServingModel::buildKey).containsExactly("build-1");
    assertThat(dir.resolve("downloads").resolve("build-1.tflite")).doesNotExist();
  }

  @Test
  void shouldRejectTamperedBytesAndKeepServingThePreviousModel() {
    installFirstBuild();
    byte[] tampered = model2.clone();
    tampered[tampered.length - 1] ^= 0x5a;
    DeviceAssignment a = publish("build-2", model2, eval2, TinyModels.referenceEfs(model2, eval2), platform,
        ArtifactSignatures.keyId(platform.getPublic()), tampered, 0.01);

    assertFailed(handler.install(a, false), AgentErrorCode.INTEGRITY_MISMATCH);
    assertPreviousKeepsServing();
    assertThat(dir.resolve("downloads").resolve("build-2.tflite.part")).doesNotExist();
  }

  @Test
  void shouldRejectASignatureByAnUntrustedKeyClaimingTheTrustedKeyId() {
    installFirstBuild();
    KeyPair attacker = ArtifactSignatures.generateKeyPair();
    DeviceAssignment a = publish("build-2", model2, eval2, TinyModels.referenceEfs(model2, eval2), attacker,
        ArtifactSignatures.keyId(platform.getPublic()), model2, 0.01);

    assertFailed(handler.install(a, false), AgentErrorCode.SIGNATURE_REJECTED);
    assertPreviousKeepsServing();
    assertThat(server.rangeHeaders()).as("nothing of build-2 was downloaded").hasSize(3);
  }

  @Test
  void shouldRejectAnUnknownSigningKeyId() {
    installFirstBuild();
    KeyPair other = ArtifactSignatures.generateKeyPair();
    DeviceAssignment a = publish("build-2", model2, eval2, TinyModels.referenceEfs(model2, eval2), other,
        ArtifactSignatures.keyId(other.getPublic()), model2, 0.01);

    assertFailed(handler.install(a, false), AgentErrorCode.SIGNATURE_REJECTED);
    assertThat(feedback.get(feedback.size() - 1).reason()).contains("unknown key id");
    assertPreviousKeepsServing();
  }

  @Test
  void shouldFailTheSmokeTestWhenAgreementIsBelowTheBoundAndNeverActivateTheSlot() {
    installFirstBuild();
    DeviceAssignment a = publish("build-2", model2, eval2, TinyModels.disagreeingReferenceEfs(model2, eval2), platform,
        ArtifactSignatures.keyId(platform.getPublic()), model2, 0.1);

    assertFailed(handler.install(a, false), AgentErrorCode.SMOKE_TEST_FAILED);
    assertThat(feedback.get(feedback.size() - 1).reason()).contains("below the required 0.9000");
    assertPreviousKeepsServing();
    assertThat(slots.active().orElseThrow().previous()).isNull();
  }

  @Test
  void shouldRetryTransientDownloadFailuresAndResumeTheNextTime() {
    installFirstBuild();
    DeviceAssignment a = good("build-2", model2, eval2);
    // three cuts of 100 bytes each: the immediate resume attempts make progress but cannot finish
    server.cutAfter("/builds/build-2.tflite", 100, 3);

    InstallOutcome first = handler.install(a, false);

    assertThat(first).isInstanceOf(InstallOutcome.Retry.class);
    assertThat(feedback).extracting(DeviceFeedback::status).containsExactly(FeedbackStatus.DOWNLOADING);
    assertPreviousKeepsServing();

    InstallOutcome second = handler.install(a, false);

    assertThat(second).isInstanceOf(InstallOutcome.Installed.class);
    assertThat(feedback).filteredOn(f -> f.status() == FeedbackStatus.DOWNLOADED).first()
        .satisfies(f -> assertThat(f.reason()).startsWith("resumed at byte "));
    assertThat(slots.active().orElseThrow().active().buildKey()).isEqualTo("build-2");
    assertThat(slots.active().orElseThrow().previous().buildKey()).isEqualTo("build-1");
  }

  @Test
  void shouldReportTransientFailuresAsFailedOnTheFinalAttempt() {
    installFirstBuild();
    DeviceAssignment a = good("build-2", model2, eval2);
    server.cutAfter("/builds/build-2.tflite", 10, 3);

    assertFailed(handler.install(a, true), AgentErrorCode.NETWORK_UNAVAILABLE);
    assertPreviousKeepsServing();
  }
}
