package io.edgefleet.agent.config;

import io.edgefleet.agent.AgentErrorCode;
import io.edgefleet.agent.AgentException;
import io.edgefleet.agent.health.HealthPolicy;
import io.edgefleet.agent.profile.ProfileKernels;
import io.edgefleet.agent.profile.ProfileSettings;
import io.edgefleet.config.Durations;
import io.edgefleet.schemas.api.AcceleratorInfo;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Turns flat string keys into a validated {@link AgentConfig}, collecting every problem before failing. */
final class ConfigParser {

  static final Set<String> ACCELERATOR_TYPES = Set.of("none", "npu", "edgetpu", "gpu", "dsp");
  static final Set<String> PRECISIONS = Set.of("FLOAT32", "FLOAT16", "BFLOAT16", "INT16", "INT8", "UINT8", "INT4");
  private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  private final Map<String, String> values;
  private final List<String> problems = new ArrayList<>();

  private ConfigParser(Map<String, String> values) {
    this.values = values;
  }

  static AgentConfig parse(Map<String, String> raw) {
    Map<String, String> trimmed = new TreeMap<>();
    raw.forEach((k, v) -> trimmed.put(k.trim(), v == null ? "" : v.trim()));
    return new ConfigParser(trimmed).parse();
  }

  private AgentConfig parse() {
    Map<ConfigKey, String> known = new EnumMap<>(ConfigKey.class);
    Map<String, String> attributes = new LinkedHashMap<>();
    Map<String, String> producer = new LinkedHashMap<>();
    Map<String, ConfigKey> byName = new TreeMap<>();
    for (ConfigKey k : ConfigKey.values()) {
      byName.put(k.key(), k);
    }
    values.forEach(
        (k, v) -> {
          if (byName.containsKey(k)) {
            known.put(byName.get(k), v);
          } else if (k.startsWith(ConfigKey.ATTRIBUTES_PREFIX)) {
            String name = k.substring(ConfigKey.ATTRIBUTES_PREFIX.length());
            if (!ATTRIBUTE_NAME.matcher(name).matches()) {
              problems.add("attribute name '" + name + "' must match " + ATTRIBUTE_NAME.pattern());
            } else if (name.equals("tags")) {
              problems.add("attribute 'tags' is reserved: use the key '" + ConfigKey.TAGS.key() + "'");
            } else {
              attributes.put(name, v);
            }
          } else if (k.startsWith(ConfigKey.KAFKA_PRODUCER_PREFIX)) {
            producer.put(k.substring(ConfigKey.KAFKA_PRODUCER_PREFIX.length()), v);
          } else {
            problems.add("unknown configuration key '" + k + "'");
          }
        });

    String deviceId = required(known, ConfigKey.DEVICE_ID);
    String name = optional(known, ConfigKey.DEVICE_NAME);
    URI url = uri(known, ConfigKey.CONTROL_PLANE_URL);
    String kafka = required(known, ConfigKey.KAFKA_BOOTSTRAP_SERVERS);
    Path dataDir = path(required(known, ConfigKey.DATA_DIR), ConfigKey.DATA_DIR);
    int threads = integer(known, ConfigKey.INFERENCE_THREADS);
    Duration inferenceInterval = duration(known, ConfigKey.INFERENCE_INTERVAL);
    int warmup = integer(known, ConfigKey.INFERENCE_WARMUP_RUNS);
    AcceleratorInfo accelerator = accelerator(known);
    List<Path> keys = trustedKeys(known);
    Duration telemetry = duration(known, ConfigKey.TELEMETRY_INTERVAL);
    Duration poll = duration(known, ConfigKey.POLL_INTERVAL);
    Duration httpTimeout = duration(known, ConfigKey.HTTP_TIMEOUT);
    Duration backoff = duration(known, ConfigKey.REGISTER_MAX_BACKOFF);
    int smoke = integer(known, ConfigKey.SMOKE_MAX_SAMPLES);
    long spool = longValue(known, ConfigKey.SPOOL_MAX_BYTES);
    List<String> tags = list(valueOrDefault(known, ConfigKey.TAGS));
    HealthPolicy health = health(known);
    Duration hardwareCheck = duration(known, ConfigKey.HARDWARE_CHECK_INTERVAL);
    if (hardwareCheck != null && (hardwareCheck.isZero() || hardwareCheck.isNegative())) {
      problems.add(ConfigKey.HARDWARE_CHECK_INTERVAL.key() + " must be a positive duration, got " + hardwareCheck);
    }
    ProfileSettings profile = profile(known);

    if (!problems.isEmpty()) {
      throw new AgentException(
          AgentErrorCode.INVALID_CONFIG, "invalid agent configuration: " + String.join("; ", problems));
    }
    return new AgentConfig(
        deviceId, name, url, kafka, dataDir, threads, accelerator, keys, telemetry, inferenceInterval, warmup, poll,
        httpTimeout, backoff, smoke, spool, attributes, tags, producer, health, hardwareCheck, profile);
  }

  private ProfileSettings profile(Map<ConfigKey, String> known) {
    Duration interval = duration(known, ConfigKey.PROFILE_INTERVAL);
    int runs = integer(known, ConfigKey.PROFILE_RUNS);
    String kernelsValue = valueOrDefault(known, ConfigKey.PROFILE_KERNELS);
    int before = problems.size();
    if (interval != null && interval.isNegative()) {
      problems.add(ConfigKey.PROFILE_INTERVAL.key() + " must not be negative, got " + interval);
    }
    if (runs < 1 || runs > ProfileSettings.MAX_RUNS) {
      problems.add(ConfigKey.PROFILE_RUNS.key() + " must be in 1.." + ProfileSettings.MAX_RUNS + ", got " + runs);
    }
    ProfileKernels kernels = null;
    try {
      kernels = ProfileKernels.of(kernelsValue);
    } catch (IllegalArgumentException e) {
      problems.add(ConfigKey.PROFILE_KERNELS.key() + " must be serving or builtin, got '" + kernelsValue + "'");
    }
    return interval == null || problems.size() > before ? null : new ProfileSettings(interval, runs, kernels);
  }

  private HealthPolicy health(Map<ConfigKey, String> known) {
    Duration window = duration(known, ConfigKey.HEALTH_WINDOW);
    int min = integer(known, ConfigKey.HEALTH_MIN_INFERENCES);
    double rate = doubleValue(known, ConfigKey.HEALTH_MAX_ERROR_RATE);
    int before = problems.size();
    if (window != null && window.isNegative()) {
      problems.add(ConfigKey.HEALTH_WINDOW.key() + " must not be negative, got " + window);
    }
    if (min < 1) {
      problems.add(ConfigKey.HEALTH_MIN_INFERENCES.key() + " must be >= 1, got " + min);
    }
    if (!(rate >= 0 && rate < 1)) {
      problems.add(ConfigKey.HEALTH_MAX_ERROR_RATE.key() + " must be in [0, 1), got " + rate);
    }
    return window == null || problems.size() > before ? null : new HealthPolicy(window, min, rate);
  }

  private double doubleValue(Map<ConfigKey, String> known, ConfigKey key) {
    String v = valueOrDefault(known, key);
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      problems.add(key.key() + " must be a number, got '" + v + "'");
      return Double.NaN;
    }
  }

  private String valueOrDefault(Map<ConfigKey, String> known, ConfigKey key) {
    String v = known.get(key);
    return v == null || v.isEmpty() ? key.defaultValue() : v;
  }

  private String required(Map<ConfigKey, String> known, ConfigKey key) {
    String v = known.get(key);
    if (v == null || v.isEmpty()) {
      problems.add(key.key() + " is required (" + key.description() + "; env " + ConfigKey.envName(key.key()) + ")");
      return null;
    }
    return v;
  }

  private String optional(Map<ConfigKey, String> known, ConfigKey key) {
    String v = known.get(key);
    return v == null || v.isEmpty() ? null : v;
  }

  private URI uri(Map<ConfigKey, String> known, ConfigKey key) {
    String v = required(known, key);
    if (v == null) {
      return null;
    }
    try {
      URI u = new URI(v.endsWith("/") ? v.substring(0, v.length() - 1) : v);
      if (u.getScheme() == null || u.getHost() == null) {
        problems.add(key.key() + " must be an absolute http(s) URL, got '" + v + "'");
        return null;
      }
      return u;
    } catch (URISyntaxException e) {
      problems.add(key.key() + " is not a URL: " + e.getMessage());
      return null;
    }
  }

  private Path path(String v, ConfigKey key) {
    if (v == null) {
      return null;
    }
    try {
      return Path.of(v);
    } catch (InvalidPathException e) {
      problems.add(key.key() + " is not a valid path: " + e.getMessage());
      return null;
    }
  }

  private int integer(Map<ConfigKey, String> known, ConfigKey key) {
    long v = longValue(known, key);
    if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
      problems.add(key.key() + " is out of range: " + v);
      return 0;
    }
    return (int) v;
  }

  private long longValue(Map<ConfigKey, String> known, ConfigKey key) {
    String v = valueOrDefault(known, key);
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      problems.add(key.key() + " must be an integer, got '" + v + "'");
      return 0;
    }
  }

  private Duration duration(Map<ConfigKey, String> known, ConfigKey key) {
    String v = valueOrDefault(known, key);
    try {
      // a unit is required: a bare number is rejected
      return Durations.parse(v, null);
    } catch (IllegalArgumentException e) {
      problems.add(key.key() + " must be a duration like 20ms, 5s, 2m, 1h or PT5S, got '" + v + "'");
      return null;
    }
  }

  private AcceleratorInfo accelerator(Map<ConfigKey, String> known) {
    String type = valueOrDefault(known, ConfigKey.ACCELERATOR_TYPE).toLowerCase(Locale.ROOT);
    List<String> precisions =
        list(valueOrDefault(known, ConfigKey.ACCELERATOR_PRECISIONS)).stream()
            .map(p -> p.toUpperCase(Locale.ROOT))
            .toList();
    if (!ACCELERATOR_TYPES.contains(type)) {
      problems.add(ConfigKey.ACCELERATOR_TYPE.key() + " must be one of " + new TreeSet<>(ACCELERATOR_TYPES)
          + ", got '" + type + "'");
    }
    for (String p : precisions) {
      if (!PRECISIONS.contains(p)) {
        problems.add(ConfigKey.ACCELERATOR_PRECISIONS.key() + " has unknown precision '" + p + "' (known: "
            + new TreeSet<>(PRECISIONS) + ")");
      }
    }
    if (!"none".equals(type) && precisions.isEmpty()) {
      problems.add(ConfigKey.ACCELERATOR_PRECISIONS.key() + " must list the precisions accelerator '" + type
          + "' accepts, e.g. INT8");
    }
    if ("none".equals(type) && !precisions.isEmpty()) {
      problems.add(ConfigKey.ACCELERATOR_PRECISIONS.key() + " is set but " + ConfigKey.ACCELERATOR_TYPE.key() + " is none");
    }
    return new AcceleratorInfo(type, precisions);
  }

  private List<Path> trustedKeys(Map<ConfigKey, String> known) {
    String v = required(known, ConfigKey.TRUST_PUBLIC_KEYS);
    if (v == null) {
      return List.of();
    }
    List<Path> paths = new ArrayList<>();
    for (String item : list(v)) {
      Path p = path(item, ConfigKey.TRUST_PUBLIC_KEYS);
      if (p == null) {
        continue;
      }
      if (!Files.isReadable(p)) {
        problems.add(ConfigKey.TRUST_PUBLIC_KEYS.key() + ": public key file " + p.toAbsolutePath() + " is not readable");
      }
      paths.add(p);
    }
    if (paths.isEmpty()) {
      problems.add(ConfigKey.TRUST_PUBLIC_KEYS.key() + " needs at least one public key PEM path");
    }
    return paths;
  }

  private static List<String> list(String v) {
    if (v == null || v.isBlank()) {
      return List.of();
    }
    return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
