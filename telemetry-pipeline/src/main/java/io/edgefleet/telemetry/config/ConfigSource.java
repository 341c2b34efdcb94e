package io.edgefleet.telemetry.config;

import io.edgefleet.telemetry.TelemetryErrorCode;
import io.edgefleet.telemetry.TelemetryPipelineException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * Raw configuration values by {@link Setting}: system properties, then environment, then an optional properties file.
 * Blank values count as unset.
 */
public final class ConfigSource {
  private final Map<String, String> systemProperties;
  private final Map<String, String> environment;
  private final Map<String, String> file;

  private ConfigSource(Map<String, String> systemProperties, Map<String, String> environment, Map<String, String> file) {
    this.systemProperties = systemProperties;
    this.environment = environment;
    this.file = file;
  }

  /** Reads the JVM's system properties and environment, and the properties file they name, if any. */
  public static ConfigSource fromSystem() {
    Map<String, String> props = new HashMap<>();
    System.getProperties().stringPropertyNames().forEach(n -> props.put(n, System.getProperty(n)));
    return of(props, System.getenv());
  }

  /** A source over the given maps; loads the properties file named by {@link Setting#CONFIG_FILE} in them. */
  public static ConfigSource of(Map<String, String> systemProperties, Map<String, String> environment) {
    Map<String, String> sys = Map.copyOf(Objects.requireNonNull(systemProperties));
    Map<String, String> env = Map.copyOf(Objects.requireNonNull(environment));
    ConfigSource withoutFile = new ConfigSource(sys, env, Map.of());
    Optional<String> path = withoutFile.get(Setting.CONFIG_FILE);
    return path.isEmpty() ? withoutFile : new ConfigSource(sys, env, load(Path.of(path.get())));
  }

  /** The configured value, or empty when unset (defaults are not applied). */
  public Optional<String> get(Setting setting) {
    for (String v :
        new String[] {
          systemProperties.get(setting.property()),
          environment.get(setting.environmentVariable()),
          file.get(setting.property())
        }) {
      if (v != null && !v.isBlank()) {
        return Optional.of(v.trim());
      }
    }
    return Optional.empty();
  }

  /** The configured value or the setting's default; empty only for computed defaults. */
  public String getOrDefault(Setting setting) {
    Optional<String> v = get(setting);
    if (v.isPresent()) {
      return v.get();
    }
    if (setting.defaultValue() == null) {
      throw new TelemetryPipelineException(
          TelemetryErrorCode.INVALID_CONFIG,
          "missing required setting " + setting.property() + " (env " + setting.environmentVariable() + "): "
              + setting.description());
    }
    return setting.defaultValue();
  }

  private static Map<String, String> load(Path path) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new TelemetryPipelineException(
          TelemetryErrorCode.INVALID_CONFIG, "cannot read telemetry config file " + path + ": " + e, e);
    }
    Map<String, String> m = new HashMap<>();
    p.stringPropertyNames().forEach(n -> m.put(n, p.getProperty(n)));
    return Map.copyOf(m);
  }
}
