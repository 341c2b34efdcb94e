package io.edgefleet.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgefleet.agent.auth.DeviceKey;
import io.edgefleet.agent.config.AgentConfig;
import io.edgefleet.agent.hardware.HardwareIntrospector;
import io.edgefleet.agent.testing.ControlPlaneStub;
import io.edgefleet.agent.testing.DeviceAuthStub;
import io.edgefleet.agent.testing.OfflineAgentSetup;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's enrolment life cycle against the stub control plane: pending, accepted, token revoked, rejected. */
class AgentEnrolmentTest {
  @TempDir Path dir;
  private ControlPlaneStub controlPlane;
  private Path proc;
  private AgentConfig config;

  @BeforeEach
  void setUp() throws IOException {
    controlPlane = new ControlPlaneStub();
    proc = OfflineAgentSetup.fakeProc(dir);
    Map<String, String> keys = OfflineAgentSetup.offlineConfig(dir, "dev-enrol", controlPlane.url());
    keys.put("poll.interval", "200ms");
    keys.put("register.max-backoff", "300ms");
    config = AgentConfig.fromMap(keys);
  }

  @AfterEach
  void tearDown() {
    controlPlane.close();
  }

  @Test
  void shouldWaitWhilePendingThenRegisterOnceAcceptedAndReEnrolWhenTheTokenIsRevoked() throws Exception {
    controlPlane.auth().mode(DeviceAuthStub.Mode.PENDING);
    try (Agent agent = Agent.start(config, Clock.systemUTC(), new HardwareIntrospector(proc))) {
      await().atMost(Duration.ofSeconds(20)).until(() -> controlPlane.auth().enrolledKeys().size() >= 2);
      assertThat(controlPlane.registrations()).isEmpty();
      String pem = DeviceKey.loadOrCreate(dir.resolve("agent")).publicKeyPem();
      assertThat(controlPlane.auth().enrolledKeys()).allMatch(pem::equals);

      controlPlane.auth().mode(DeviceAuthStub.Mode.ACCEPT);
      await().atMost(Duration.ofSeconds(20)).until(() -> controlPlane.assignmentRequests() > 0);
      assertThat(controlPlane.registrations()).hasSize(1);

      int enrolments = controlPlane.auth().enrolledKeys().size();
      int polls = controlPlane.assignmentRequests();
      controlPlane.auth().revokeAll();
      await().atMost(Duration.ofSeconds(20)).until(() -> controlPlane.assignmentRequests() > polls + 2);
      assertThat(controlPlane.auth().enrolledKeys().size()).isGreaterThan(enrolments);
    }
  }

  @Test
  void shouldKeepAskingWhenRejectedAndRecoverWhenAnAdminAcceptsLater() throws Exception {
    controlPlane.auth().mode(DeviceAuthStub.Mode.REJECT);
    try (Agent agent = Agent.start(config, Clock.systemUTC(), new HardwareIntrospector(proc))) {
      await().atMost(Duration.ofSeconds(20)).until(() -> controlPlane.auth().enrolledKeys().size() >= 2);
      assertThat(controlPlane.registrations()).isEmpty();
      controlPlane.auth().mode(DeviceAuthStub.Mode.ACCEPT);
      await().atMost(Duration.ofSeconds(20)).until(() -> !controlPlane.registrations().isEmpty());
    }
  }
}
