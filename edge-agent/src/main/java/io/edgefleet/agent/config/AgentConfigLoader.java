package io.edgefleet.agent.config;

import io.edgefleet.agent.AgentErrorCode;
import io.edgefleet.agent.AgentException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Reads the configuration once: the properties file, then environment variables {@code EDGEFLEET_AGENT_*}, then
 * system properties {@code edgefleet.agent.*}; later sources override earlier ones.
 */
public final class AgentConfigLoader {
  private AgentConfigLoader() {}

  /** Loads from the process environment and system properties. */
  public static AgentConfig load(Path propertiesFile) {
    return load(propertiesFile, System.getenv(), System.getProperties());
  }

  /**
   * Loads with explicit sources (tests).
   *
   * @param propertiesFile may be null (environment and system properties only)
   */
  public static AgentConfig load(Path propertiesFile, Map<String, String> env, Properties systemProperties) {
    return AgentConfig.fromMap(merge(propertiesFile, env, systemProperties));
  }

  static Map<String, String> merge(Path propertiesFile, Map<String, String> env, Properties systemProperties) {
    Map<String, String> merged = new TreeMap<>();
    if (propertiesFile != null) {
      Properties file = new Properties();
      try (Reader r = Files.newBufferedReader(propertiesFile, StandardCharsets.UTF_8)) {
        file.load(r);
      } catch (IOException e) {
        throw new AgentException(
            AgentErrorCode.INVALID_CONFIG, "cannot read configuration file " + propertiesFile.toAbsolutePath() + ": " + e, e);
      }
      file.stringPropertyNames().forEach(k -> merged.put(k, file.getProperty(k)));
    }
    for (ConfigKey key : ConfigKey.values()) {
      String v = env.get(ConfigKey.envName(key.key()));
      if (v != null) {
        merged.put(key.key(), v);
      }
    }
    String attrPrefix = ConfigKey.envName(ConfigKey.ATTRIBUTES_PREFIX);
    String producerPrefix = ConfigKey.envName(ConfigKey.KAFKA_PRODUCER_PREFIX);
    env.forEach(
        (k, v) -> {
          if (k.startsWith(attrPrefix) && k.length() > attrPrefix.length()) {
            merged.put(ConfigKey.ATTRIBUTES_PREFIX + k.substring(attrPrefix.length()).toLowerCase(Locale.ROOT), v);
          } else if (k.startsWith(producerPrefix) && k.length() > producerPrefix.length()) {
            merged.put(
                ConfigKey.KAFKA_PRODUCER_PREFIX + k.substring(producerPrefix.length()).toLowerCase(Locale.ROOT).replace('_', '.'),
                v);
          }
        });
    for (String name : systemProperties.stringPropertyNames()) {
      if (name.startsWith(ConfigKey.SYSTEM_PROPERTY_PREFIX)) {
        merged.put(name.substring(ConfigKey.SYSTEM_PROPERTY_PREFIX.length()), systemProperties.getProperty(name));
      }
    }
    return merged;
  }
}
