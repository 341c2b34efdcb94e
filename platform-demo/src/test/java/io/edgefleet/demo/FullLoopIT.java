package io.edgefleet.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgefleet.fixtures.FixtureModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop on real components, started exactly as the demo command starts them: real Kafka (KRaft), PostgreSQL
 * and S3 server; the control plane, a quantizer worker and three agent processes; a real fixture model quantized and
 * run in the TFLite runtime; telemetry aggregated by the control plane.
 */
class FullLoopIT {

  private static final long MIN_INFERENCES = 600;

  @TempDir static Path dataDir;

  private static PlatformLauncher platform;

  @BeforeAll
  static void startPlatform() throws Exception {
    platform = new PlatformLauncher(new PlatformConfig(dataDir, 0, 3, Duration.ofMinutes(3)), ProjectLayout.detect()).start();
  }

  @AfterAll
  static void stopPlatform() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void shouldRollOutDeviceSpecificBuildsAndReportRealTelemetry() throws Exception {
    DemoScenario.Outcome outcome = new DemoScenario(platform).run(FixtureModel.FASHION_CNN, 0.02, Duration.ofMinutes(6));
    System.out.println(DemoScenario.report(outcome));

    // CPU and NPU devices get full int8, the fp16 GPU device gets a float16 build: two builds for three classes
    assertThat(outcome.builds()).extracting(DemoScenario.BuildFigures::mode).contains("FULL_INT8", "FLOAT16");
    assertThat(outcome.builds().stream().mapToInt(DemoScenario.BuildFigures::devices).sum()).isEqualTo(3);
    // device accuracy is measured on the eval samples served so far: wait for enough of them that the comparison with
    // the worker's figure on the whole eval set is statistically meaningful
    OperatorClient operator = platform.operatorClient();
    AtomicReference<List<DemoScenario.BuildFigures>> latest = new AtomicReference<>(outcome.builds());
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).until(() -> {
      latest.set(DemoScenario.figures(operator.get("/api/telemetry/summary")));
      return latest.get().stream().filter(b -> b.devices() > 0).allMatch(b -> b.deviceInferences() >= MIN_INFERENCES);
    });
    for (DemoScenario.BuildFigures b : latest.get()) {
      if (b.devices() == 0) {
        continue;
      }
      assertThat(b.deviceInferences()).as("inferences of %s", b.mode()).isGreaterThanOrEqualTo(MIN_INFERENCES);
      assertThat(b.deviceP50Micros()).isPositive();
      assertThat(b.deviceP95Micros()).isGreaterThanOrEqualTo(b.deviceP50Micros());
      assertThat(b.deviceAgreement()).as("agreement with float of %s", b.mode()).isGreaterThan(0.95);
      // the worker measured the same build on the whole eval set; the devices on a part of it: binomial tolerance
      double p = b.buildTop1();
      double tolerance = 4 * Math.sqrt(p * (1 - p) / b.deviceInferences()) + 0.005;
      assertThat(b.deviceTop1()).as("device top-1 of %s vs worker top-1 %.4f", b.mode(), p)
          .isBetween(p - tolerance, p + tolerance);
      assertThat(p).as("worker top-1 of %s vs float", b.mode()).isGreaterThan(b.floatTop1() - 0.02);
    }
    DemoScenario.BuildFigures int8 =
        outcome.builds().stream().filter(b -> b.mode().equals("FULL_INT8")).findFirst().orElseThrow();
    assertThat(int8.sizeBytes() * 3.5).isLessThanOrEqualTo(int8.floatSizeBytes());

    JsonNode rollout = operator.get("/api/rollouts/" + outcome.rolloutId());
    assertThat(rollout.toString()).contains("RUNNING");
    assertThat(outcome.acceptedDevices()).hasSize(3);
    assertThat(operator.status("/")).isEqualTo(200);
    // with auth on, data needs a token: the same call without one is refused
    assertThat(new OperatorClient(platform.controlPlaneUrl()).status("/api/telemetry/summary")).isEqualTo(401);
  }
}
