package io.edgefleet.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefleet.agent.AgentErrorCode;
import io.edgefleet.agent.AgentException;
import io.edgefleet.schemas.signing.ArtifactSignatures;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {
  @TempDir Path dir;
  private Path key;

  @BeforeEach
  void writeKey() throws IOException {
    key = dir.resolve("platform.pub.pem");
    Files.writeString(key, ArtifactSignatures.toPem(ArtifactSignatures.generateKeyPair().getPublic()));
  }

  private Map<String, String> minimal() {
    Map<String, String> m = new HashMap<>();
    m.put("device.id", "dev-1");
    m.put("control-plane.url", "http://localhost:8080/");
    m.put("kafka.bootstrap-servers", "localhost:9092");
    m.put("data-dir", dir.resolve("data").toString());
    m.put("trust.public-keys", key.toString());
    return m;
  }

  @Test
  void shouldApplyDefaultsToAMinimalConfiguration() {
    AgentConfig c = AgentConfig.fromMap(minimal());

    assertThat(c.deviceId()).isEqualTo("dev-1");
    assertThat(c.name()).isEqualTo("dev-1");
    assertThat(c.controlPlaneUrl()).isEqualTo(URI.create("http://localhost:8080"));
    assertThat(c.interpreterThreads()).isEqualTo(1);
    assertThat(c.telemetryInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.inferenceInterval()).isEqualTo(Duration.ofMillis(20));
    assertThat(c.accelerator().type()).isEqualTo("none");
    assertThat(c.trustedKeyPaths()).containsExactly(key.toAbsolutePath());
    assertThat(c.spoolMaxBytes()).isEqualTo(16L << 20);
    assertThat(c.health()).isEqualTo(new io.edgefleet.agent.health.HealthPolicy(Duration.ofMinutes(2), 20, 0.05));
    assertThat(c.hardwareCheckInterval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.profile().enabled()).as("the per-operator profile is optional: off by default").isFalse();
  }

  @Test
  void shouldParseAndValidateTheProfileKeys() {
    Map<String, String> m = minimal();
    m.put("profile.interval", "5m");
    m.put("profile.runs", "50");
    m.put("profile.kernels", "BUILTIN");
    AgentConfig c = AgentConfig.fromMap(m);
    assertThat(c.profile()).isEqualTo(new io.edgefleet.agent.profile.ProfileSettings(Duration.ofMinutes(5), 50,
        io.edgefleet.agent.profile.ProfileKernels.BUILTIN));
    assertThat(c.profile().enabled()).isTrue();

    m.put("profile.interval", "-PT1S");
    m.put("profile.runs", "0");
    m.put("profile.kernels", "gpu");
    assertThatThrownBy(() -> AgentConfig.fromMap(m))
        .isInstanceOf(AgentException.class)
        .hasMessageContaining("profile.interval must not be negative")
        .hasMessageContaining("profile.runs must be in 1..1000")
        .hasMessageContaining("profile.kernels must be serving or builtin");
  }

  @Test
  void shouldParseAndValidateTheHealthAndHardwareKeys() {
    Map<String, String> m = minimal();
    m.put("health.window", "0s");
    m.put("health.min-inferences", "5");
    m.put("health.max-error-rate", "0");
    m.put("hardware.check-interval", "30s");
    AgentConfig c = AgentConfig.fromMap(m);
    assertThat(c.health().enabled()).isFalse();
    assertThat(c.health().minInferences()).isEqualTo(5);
    assertThat(c.hardwareCheckInterval()).isEqualTo(Duration.ofSeconds(30));

    m.put("health.window", "-PT1S");
    m.put("health.min-inferences", "0");
    m.put("health.max-error-rate", "1.5");
    m.put("hardware.check-interval", "0s");
    assertThatThrownBy(() -> AgentConfig.fromMap(m))
        .isInstanceOf(AgentException.class)
        .hasMessageContaining("health.window must not be negative")
        .hasMessageContaining("health.min-inferences must be >= 1")
        .hasMessageContaining("health.max-error-rate must be in [0, 1)")
        .hasMessageContaining("hardware.check-interval must be a positive duration");
  }

  @Test
  void shouldParseAcceleratorTagsAttributesAndSeveralKeys() throws IOException {
    Path second = dir.resolve("next.pub.pem");
    Files.writeString(second, ArtifactSignatures.toPem(ArtifactSignatures.generateKeyPair().getPublic()));
    Map<String, String> m = minimal();
    m.put("accelerator.type", "NPU");
    m.put("accelerator.precisions", "int8");
    m.put("trust.public-keys", key + " , " + second);
    m.put("tags", "canary, lab");
    m.put("attributes.location", "berlin");
    m.put("inference.interval", "PT0.05S");
    m.put("telemetry.interval", "2s");

    AgentConfig c = AgentConfig.fromMap(m);

    assertThat(c.accelerator().type()).isEqualTo("npu");
    assertThat(c.accelerator().precisions()).containsExactly("INT8");
    assertThat(c.trustedKeyPaths()).hasSize(2);
    assertThat(c.registrationAttributes()).containsEntry("location", "berlin").containsEntry("tags", "canary,lab");
    assertThat(c.inferenceInterval()).isEqualTo(Duration.ofMillis(50));
    assertThat(c.telemetryInterval()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void shouldListEveryProblemOfAnInvalidConfiguration() {
    Map<String, String> m = new HashMap<>();
    m.put("device.id", "bad id!");
    m.put("control-plane.url", "ftp://x");
    m.put("inference.threads", "zero");
    m.put("telemetry.interval", "5");
    m.put("accelerator.type", "npu");
    m.put("trust.public-keys", dir.resolve("missing.pem").toString());
    m.put("telemetri.interval", "5s");

    assertThatThrownBy(() -> AgentConfig.fromMap(m))
        .isInstanceOf(AgentException.class)
        .satisfies(e -> assertThat(((AgentException) e).code()).isEqualTo(AgentErrorCode.INVALID_CONFIG))
        .hasMessageContaining("kafka.bootstrap-servers is required")
        .hasMessageContaining("data-dir is required")
        .hasMessageContaining("inference.threads must be an integer")
        .hasMessageContaining("telemetry.interval must be a duration")
        .hasMessageContaining("accelerator.precisions must list the precisions")
        .hasMessageContaining("missing.pem is not readable")
        .hasMessageContaining("unknown configuration key 'telemetri.interval'")
        .hasMessageContaining("EDGEFLEET_AGENT_KAFKA_BOOTSTRAP_SERVERS");
  }

  @Test
  void shouldRejectDeviceIdAndUrlViolationsInTheRecordItself() {
    AgentConfig valid = AgentConfig.fromMap(minimal());

    assertThatThrownBy(
            () -> new AgentConfig(
                "bad id", null, URI.create("mailto:x@y"), valid.kafkaBootstrapServers(), valid.dataDir(), 0,
                valid.accelerator(), valid.trustedKeyPaths(), valid.telemetryInterval(), Duration.ZERO, 5,
                valid.defaultPollInterval(), valid.httpTimeout(), valid.registerMaxBackoff(), 10, 1 << 20, null, null,
                null, valid.health(), valid.hardwareCheckInterval(), null))
        .isInstanceOf(AgentException.class)
        .hasMessageContaining("device.id must match")
        .hasMessageContaining("control-plane.url must be an absolute http(s) URL")
        .hasMessageContaining("inference.threads must be in 1..64")
        .hasMessageContaining("inference.interval must be a positive duration");
  }

  @Test
  void shouldLetEnvironmentOverrideTheFileAndSystemPropertiesOverrideBoth() throws IOException {
    Path file = dir.resolve("agent.properties");
    Properties p = new Properties();
    p.putAll(minimal());
    p.put("device.name", "from-file");
    p.put("inference.threads", "2");
    p.put("telemetry.interval", "9s");
    try (var w = Files.newBufferedWriter(file)) {
      p.store(w, null);
    }
    Map<String, String> env =
        Map.of(
            "EDGEFLEET_AGENT_DEVICE_NAME", "from-env",
            "EDGEFLEET_AGENT_INFERENCE_THREADS", "3",
            "EDGEFLEET_AGENT_ATTRIBUTES_SITE", "plant-7",
            "EDGEFLEET_AGENT_KAFKA_PRODUCER_COMPRESSION_TYPE", "zstd",
            "PATH", "/usr/bin");
    Properties sys = new Properties();
    sys.put("edgefleet.agent.inference.threads", "4");
    sys.put("java.version", "17");

    AgentConfig c = AgentConfigLoader.load(file, env, sys);

    assertThat(c.name()).isEqualTo("from-env");
    assertThat(c.interpreterThreads()).isEqualTo(4);
    assertThat(c.telemetryInterval()).isEqualTo(Duration.ofSeconds(9));
    assertThat(c.attributes()).containsEntry("site", "plant-7");
    assertThat(c.kafkaProducerOverrides()).containsEntry("compression.type", "zstd");
  }

  @Test
  void shouldReportAnUnreadableConfigurationFile() {
    assertThatThrownBy(() -> AgentConfigLoader.load(dir.resolve("nope.properties"), Map.of(), new Properties()))
        .isInstanceOf(AgentException.class)
        .hasMessageContaining("cannot read configuration file");
  }
}
