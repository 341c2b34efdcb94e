package io.edgefleet.agent.config;

import io.edgefleet.agent.AgentErrorCode;
import io.edgefleet.agent.AgentException;
import io.edgefleet.agent.health.HealthPolicy;
import io.edgefleet.agent.profile.ProfileSettings;
import io.edgefleet.schemas.api.AcceleratorInfo;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The agent's whole configuration, parsed and validated once at start-up by {@link AgentConfigLoader} (file, then
 * environment {@code EDGEFLEET_AGENT_*}, then {@code -Dedgefleet.agent.*}) or built programmatically with
 * {@link #fromMap(Map)}. See {@link ConfigKey} for the keys and defaults.
 *
 * @param deviceId stable device id ({@code [A-Za-z0-9._-]}, 1..128 characters)
 * @param name display name
 * @param controlPlaneUrl base URL of the control plane REST API
 * @param kafkaBootstrapServers Kafka bootstrap servers for feedback and telemetry
 * @param dataDir where downloads, A/B slots, the telemetry spool and state live
 * @param interpreterThreads TFLite interpreter threads
 * @param accelerator declared accelerator (type + precisions it accepts)
 * @param trustedKeyPaths PEM files of the platform public keys this device trusts (several during rotation)
 * @param telemetryInterval how often an {@code InferenceTelemetry} batch is emitted
 * @param inferenceInterval delay between two inferences of the serving loop
 * @param warmupRuns inferences after each activation that are excluded from the figures
 * @param defaultPollInterval assignment poll interval until the server sets one
 * @param httpTimeout timeout of one HTTP request (connect and response headers)
 * @param registerMaxBackoff upper bound of the retry backoff while the control plane is unreachable
 * @param smokeMaxSamples at most this many evaluation samples are run by the install smoke test
 * @param spoolMaxBytes bound of the on-disk telemetry spool; the oldest events are dropped beyond it
 * @param attributes free-form device attributes sent on registration
 * @param tags device tags, sent on registration as the attribute {@code tags} (comma-separated)
 * @param kafkaProducerOverrides extra producer properties ({@code kafka.producer.*} keys without the prefix)
 * @param health when a newly activated build is rolled back ({@code health.*} keys)
 * @param hardwareCheckInterval how often the host is re-introspected; a changed profile is registered again
 * @param profile the optional periodic per-operator profile of the served model ({@code profile.*} keys)
 */
public record AgentConfig(
    String deviceId,
    String name,
    URI controlPlaneUrl,
    String kafkaBootstrapServers,
    Path dataDir,
    int interpreterThreads,
    AcceleratorInfo accelerator,
    List<Path> trustedKeyPaths,
    Duration telemetryInterval,
    Duration inferenceInterval,
    int warmupRuns,
    Duration defaultPollInterval,
    Duration httpTimeout,
    Duration registerMaxBackoff,
    int smokeMaxSamples,
    long spoolMaxBytes,
    Map<String, String> attributes,
    List<String> tags,
    Map<String, String> kafkaProducerOverrides,
    HealthPolicy health,
    Duration hardwareCheckInterval,
    ProfileSettings profile) {

  static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  public AgentConfig {
    List<String> problems = new ArrayList<>();
    if (deviceId == null || !DEVICE_ID.matcher(deviceId).matches()) {
      problems.add(ConfigKey.DEVICE_ID.key() + " must match [A-Za-z0-9._-]{1,128}, got '" + deviceId + "'");
    }
    if (name == null || name.isBlank()) {
      name = deviceId;
    }
    if (controlPlaneUrl == null
        || controlPlaneUrl.getScheme() == null
        || !(controlPlaneUrl.getScheme().equals("http") || controlPlaneUrl.getScheme().equals("https"))
        || controlPlaneUrl.getHost() == null) {
      problems.add(ConfigKey.CONTROL_PLANE_URL.key() + " must be an absolute http(s) URL, got '" + controlPlaneUrl + "'");
    }
    if (kafkaBootstrapServers == null || kafkaBootstrapServers.isBlank()) {
      problems.add(ConfigKey.KAFKA_BOOTSTRAP_SERVERS.key() + " is required (host:port[,host:port...])");
    }
    if (dataDir == null) {
      problems.add(ConfigKey.DATA_DIR.key() + " is required");
    } else {
      dataDir = dataDir.toAbsolutePath().normalize();
    }
    if (interpreterThreads < 1 || interpreterThreads > 64) {
      problems.add(ConfigKey.INFERENCE_THREADS.key() + " must be in 1..64, got " + interpreterThreads);
    }
    if (accelerator == null) {
      accelerator = AcceleratorInfo.none();
    }
    if (trustedKeyPaths == null || trustedKeyPaths.isEmpty()) {
      problems.add(ConfigKey.TRUST_PUBLIC_KEYS.key() + " needs at least one public key PEM path");
      trustedKeyPaths = List.of();
    } else {
      trustedKeyPaths = trustedKeyPaths.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }
    requirePositive(problems, ConfigKey.TELEMETRY_INTERVAL, telemetryInterval);
    requirePositive(problems, ConfigKey.INFERENCE_INTERVAL, inferenceInterval);
    requirePositive(problems, ConfigKey.POLL_INTERVAL, defaultPollInterval);
    requirePositive(problems, ConfigKey.HTTP_TIMEOUT, httpTimeout);
    requirePositive(problems, ConfigKey.REGISTER_MAX_BACKOFF, registerMaxBackoff);
    if (warmupRuns < 0) {
      problems.add(ConfigKey.INFERENCE_WARMUP_RUNS.key() + " must be >= 0, got " + warmupRuns);
    }
    if (smokeMaxSamples < 1) {
      problems.add(ConfigKey.SMOKE_MAX_SAMPLES.key() + " must be >= 1, got " + smokeMaxSamples);
    }
    if (spoolMaxBytes < 64 * 1024) {
      problems.add(ConfigKey.SPOOL_MAX_BYTES.key() + " must be >= 65536, got " + spoolMaxBytes);
    }
    if (health == null) {
      problems.add("health policy is required");
    }
    requirePositive(problems, ConfigKey.HARDWARE_CHECK_INTERVAL, hardwareCheckInterval);
    if (profile == null) {
      profile = ProfileSettings.off();
    }
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    tags = tags == null ? List.of() : List.copyOf(tags);
    kafkaProducerOverrides = kafkaProducerOverrides == null ? Map.of() : Map.copyOf(kafkaProducerOverrides);
    if (!problems.isEmpty()) {
      throw new AgentException(AgentErrorCode.INVALID_CONFIG, "invalid agent configuration: " + String.join("; ", problems));
    }
  }

  /**
   * Parses a configuration from flat keys (the {@link ConfigKey} names, {@code attributes.<name>} and
   * {@code kafka.producer.<property>}), applying defaults.
   *
   * @throws AgentException {@link AgentErrorCode#INVALID_CONFIG} listing every problem found
   */
  public static AgentConfig fromMap(Map<String, String> values) {
    return ConfigParser.parse(values);
  }

  /** The registration attributes: configured attributes plus {@code tags} when tags are set. */
  public Map<String, String> registrationAttributes() {
    Map<String, String> all = new LinkedHashMap<>(attributes);
    if (!tags.isEmpty()) {
      all.put("tags", String.join(",", tags));
    }
    return all;
  }

  private static void requirePositive(List<String> problems, ConfigKey key, Duration d) {
    if (d == null || d.isZero() || d.isNegative()) {
      problems.add(key.key() + " must be a positive duration, got " + d);
    }
  }

  @Override
  public String toString() {
    return "AgentConfig[deviceId=" + deviceId + ", controlPlaneUrl=" + controlPlaneUrl + ", kafka=" + kafkaBootstrapServers
        + ", dataDir=" + dataDir + ", threads=" + interpreterThreads + ", accelerator=" + accelerator + ", trustedKeys="
        + trustedKeyPaths + ", telemetryInterval=" + telemetryInterval + ", inferenceInterval=" + inferenceInterval
        + ", tags=" + tags + ", attributes=" + attributes + ", health=" + health + ", hardwareCheckInterval="
        + hardwareCheckInterval + ", profile=" + profile + "]";
  }
}
