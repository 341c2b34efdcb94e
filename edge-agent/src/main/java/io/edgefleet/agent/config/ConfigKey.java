package io.edgefleet.agent.config;

import java.util.Locale;

/**
 * Every configuration key of the agent, with its default. A key {@code a.b-c} is read from the properties file as
 * {@code a.b-c}, from the environment as {@code EDGEFLEET_AGENT_A_B_C} and from system properties as
 * {@code edgefleet.agent.a.b-c} (later sources win). Prefixed families: {@code attributes.<name>} and
 * {@code kafka.producer.<property>}.
 */
public enum ConfigKey {
  DEVICE_ID("device.id", null, "stable device id, [A-Za-z0-9._-]{1,128} (required)"),
  DEVICE_NAME("device.name", null, "display name (default: the device id)"),
  CONTROL_PLANE_URL("control-plane.url", null, "control plane base URL, e.g. http://localhost:8080 (required)"),
  KAFKA_BOOTSTRAP_SERVERS("kafka.bootstrap-servers", null, "Kafka bootstrap servers (required)"),
  DATA_DIR("data-dir", null, "agent state directory: downloads, slots, spool (required)"),
  INFERENCE_THREADS("inference.threads", "1", "TFLite interpreter threads"),
  INFERENCE_INTERVAL("inference.interval", "20ms", "delay between two inferences of the serving loop"),
  INFERENCE_WARMUP_RUNS("inference.warmup-runs", "5", "inferences after activation excluded from the figures"),
  ACCELERATOR_TYPE("accelerator.type", "none", "declared accelerator: none, npu, edgetpu, gpu, dsp"),
  ACCELERATOR_PRECISIONS("accelerator.precisions", "", "precisions the accelerator accepts, e.g. INT8 or FLOAT16,FLOAT32"),
  TRUST_PUBLIC_KEYS("trust.public-keys", null, "comma-separated Ed25519 public key PEM paths (required)"),
  TELEMETRY_INTERVAL("telemetry.interval", "5s", "telemetry batch interval"),
  POLL_INTERVAL("poll.interval", "10s", "assignment poll interval until the server sets one"),
  HTTP_TIMEOUT("http.timeout", "10s", "HTTP connect / response timeout"),
  REGISTER_MAX_BACKOFF("register.max-backoff", "30s", "maximum retry backoff while the control plane is unreachable"),
  SMOKE_MAX_SAMPLES("smoke.max-samples", "1000", "evaluation samples run by the install smoke test (at most)"),
  SPOOL_MAX_BYTES("spool.max-bytes", "16777216", "bound of the on-disk telemetry spool (drop-oldest beyond it)"),
  TAGS("tags", "", "comma-separated device tags (sent as attribute 'tags')"),
  HEALTH_WINDOW("health.window", "2m", "health window after a new build is activated; failing it rolls back (0s disables)"),
  HEALTH_MIN_INFERENCES("health.min-inferences", "20", "inferences needed before the error rate is judged in the window"),
  HEALTH_MAX_ERROR_RATE("health.max-error-rate", "0.05", "tolerated fraction of failed or non-finite inferences, [0, 1)"),
  HARDWARE_CHECK_INTERVAL(
      "hardware.check-interval", "5m", "how often the host is re-introspected; a changed profile re-registers"),
  PROFILE_INTERVAL(
      "profile.interval", "0s", "interval of the per-operator profile of the served model, sent in telemetry (0s = off)"),
  PROFILE_RUNS("profile.runs", "20", "profiled inferences per profile, 1..1000"),
  PROFILE_KERNELS(
      "profile.kernels", "serving", "kernels the profile runs on: serving (XNNPACK, as served) or builtin (per model op)");

  /** Prefix of free-form device attributes. */
  public static final String ATTRIBUTES_PREFIX = "attributes.";
  /** Prefix of Kafka producer property overrides. */
  public static final String KAFKA_PRODUCER_PREFIX = "kafka.producer.";
  /** Environment variable prefix. */
  public static final String ENV_PREFIX = "EDGEFLEET_AGENT_";
  /** System property prefix. */
  public static final String SYSTEM_PROPERTY_PREFIX = "edgefleet.agent.";

  private final String key;
  private final String defaultValue;
  private final String description;

  ConfigKey(String key, String defaultValue, String description) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.description = description;
  }

  public String key() {
    return key;
  }

  /** Default value, or null when the key is required or derived. */
  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  /** Environment variable name of {@code key}: upper case, '.' and '-' become '_'. */
  public static String envName(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
