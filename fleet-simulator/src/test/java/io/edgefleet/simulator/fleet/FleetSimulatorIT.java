package io.edgefleet.simulator.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgefleet.demo.OperatorClient;
import io.edgefleet.demo.PlatformConfig;
import io.edgefleet.demo.PlatformLauncher;
import io.edgefleet.demo.ProjectLayout;
import io.edgefleet.fixtures.FixtureModel;
import io.edgefleet.fixtures.Fixtures;
import io.edgefleet.simulator.latency.LatencyProfile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 200 simulated devices against the real platform (Kafka, PostgreSQL, S3 server, control plane, quantizer worker;
 * no agent processes): they register with two hardware classes, a rollout of a fixture model reaches every one of
 * them, each reports RUNNING, and the control plane's telemetry summary counts all of them.
 */
class FleetSimulatorIT {
  private static final int DEVICES = 200;

  @TempDir static Path dataDir;

  private static PlatformLauncher platform;

  @BeforeAll
  static void startPlatform() throws Exception {
    platform = new PlatformLauncher(new PlatformConfig(dataDir, 0, 0, Duration.ofMinutes(3)), ProjectLayout.detect()).start();
  }

  @AfterAll
  static void stopPlatform() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void shouldRollOutToEverySimulatedDeviceAndCountItsTelemetry() throws Exception {
    OperatorClient operator = platform.operatorClient();
    SimulatorConfig config = SimulatorConfig.defaults(platform.controlPlaneUrl(), platform.stack().kafkaBootstrapServers())
        .withHardwareClasses(2)
        .withTelemetryInterval(Duration.ofSeconds(5))
        .withVerifyDownloadFraction(0.05)
        .withTrustedPublicKey(platform.publicKey());
    try (FleetSimulator fleet = FleetSimulator.start(config)) {
      // each simulated device has its own key, preauthorised in bulk by an admin before it enrols
      fleet.addDevices(DEVICES, operator::preauthorize);
      await("registrations").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
          .until(() -> fleet.stats().registered() == DEVICES);
      JsonNode listed = operator.get("/api/devices?attribute=simulated:true&size=1");
      assertThat(listed.get("total").asLong()).isEqualTo(DEVICES);

      JsonNode model = operator.uploadModel("fashion_mlp", Fixtures.model(FixtureModel.FASHION_MLP),
          Fixtures.calibrationSet(), Fixtures.evalSet());
      String modelId = model.get("id").asText();
      // the planner needs the worker's per-layer analysis before the rollout can be planned
      await("analysis ready").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
          .until(() -> operator.get("/api/models/" + modelId).path("analysisStatus").asText().equals("READY"));
      Map<String, Object> rollout = new LinkedHashMap<>();
      rollout.put("name", "simulated-fleet");
      rollout.put("modelId", model.get("id").asText());
      rollout.put("deviceFilter", Map.of("attributes", Map.of("simulated", "true")));
      rollout.put("maxAccuracyDrop", 0.05);
      String rolloutId = operator.createRollout(rollout).get("id").asText();

      await("every device running").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
          .untilAsserted(() -> {
            platform.requireAllAlive();
            assertThat(fleet.stats().running()).isEqualTo(DEVICES);
          });
      FleetStats stats = fleet.stats();
      assertThat(stats.failed()).isZero();
      assertThat(stats.downloadsVerified()).isPositive();
      assertThat(fleet.measuredProfiles()).isNotEmpty().allSatisfy((key, p) -> {
        assertThat(p.p50Micros()).isPositive();
        assertThat(p.agreementWithFloat()).isGreaterThan(0.9);
      });

      await("control plane sees every device running").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
          .untilAsserted(() -> assertThat(operator.get("/api/rollouts/" + rolloutId).path("counts").path("RUNNING").asInt())
              .isEqualTo(DEVICES));
      await("telemetry of every device").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(2))
          .untilAsserted(() -> {
            int devices = 0;
            for (JsonNode build : operator.get("/api/telemetry/summary")) {
              devices += build.path("fleet").path("devices").asInt();
            }
            assertThat(devices).isEqualTo(DEVICES);
          });
      for (JsonNode build : operator.get("/api/telemetry/summary")) {
        LatencyProfile measured = fleet.measuredProfiles().get(build.path("buildKey").asText());
        assertThat(measured).as("profile of %s", build.path("buildKey").asText()).isNotNull();
        assertThat(build.path("fleet").path("p50Micros").asDouble()).isPositive();
      }
    }
  }
}
