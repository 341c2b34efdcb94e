package io.edgefleet.config;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BiFunction;

/**
 * Raw setting values of one service by {@link ConfigKey}: system properties, then environment, then an optional
 * properties file (named by the service's config-file key), then the key's default. Blank values count as unset.
 * Every error is raised through the service's own factory, so a service reports bad configuration with its own
 * exception type and exit code.
 */
public final class LayeredConfig {
  private final Map<String, String> systemProperties;
  private final Map<String, String> environment;
  private final Map<String, String> file;
  private final BiFunction<String, Throwable, RuntimeException> errors;

  private LayeredConfig(Map<String, String> systemProperties, Map<String, String> environment,
      Map<String, String> file, BiFunction<String, Throwable, RuntimeException> errors) {
    this.systemProperties = systemProperties;
    this.environment = environment;
    this.file = file;
    this.errors = errors;
  }

  /** Reads the JVM's system properties and environment, and the properties file they name, if any. */
  public static LayeredConfig fromSystem(ConfigKey configFile, BiFunction<String, Throwable, RuntimeException> errors) {
    Map<String, String> props = new HashMap<>();
    System.getProperties().stringPropertyNames().forEach(n -> props.put(n, System.getProperty(n)));
    return of(props, System.getenv(), configFile, errors);
  }

  /**
   * A source over the given maps; loads the properties file named by {@code configFile} in them.
   *
   * @param errors makes the service's exception from a message and a cause (which may be null)
   */
  public static LayeredConfig of(Map<String, String> systemProperties, Map<String, String> environment,
      ConfigKey configFile, BiFunction<String, Throwable, RuntimeException> errors) {
    Map<String, String> sys = Map.copyOf(Objects.requireNonNull(systemProperties));
    Map<String, String> env = Map.copyOf(Objects.requireNonNull(environment));
    LayeredConfig withoutFile = new LayeredConfig(sys, env, Map.of(), errors);
    Optional<String> path = withoutFile.get(configFile);
    return path.isEmpty() ? withoutFile : new LayeredConfig(sys, env, load(Path.of(path.get()), errors), errors);
  }

  /** The configured value, or empty when unset (defaults are not applied). */
  public Optional<String> get(ConfigKey key) {
    for (String v : new String[] {systemProperties.get(key.property()), environment.get(key.environmentVariable()),
        file.get(key.property())}) {
      if (v != null && !v.isBlank()) {
        return Optional.of(v.trim());
      }
    }
    return Optional.empty();
  }

  /** The configured value or the key's default; empty only for computed defaults. */
  public String getOrDefault(ConfigKey key) {
    Optional<String> v = get(key);
    if (v.isPresent()) {
      return v.get();
    }
    if (key.defaultValue() == null) {
      throw errors.apply("missing required setting " + key.displayName() + ": " + key.description(), null);
    }
    return key.defaultValue();
  }

  /** Fails naming every required key (no default) that is unset, so that one start-up reports all of them. */
  public void requireAll(Collection<? extends ConfigKey> keys) {
    List<String> missing = new ArrayList<>();
    for (ConfigKey key : keys) {
      if (key.defaultValue() == null && get(key).isEmpty()) {
        missing.add(key.displayName() + ": " + key.description());
      }
    }
    if (!missing.isEmpty()) {
      throw errors.apply("missing required settings: " + String.join("; ", missing), null);
    }
  }

  /** A duration ({@link Durations}); a bare number is in {@code bareNumberUnit}. */
  public Duration duration(ConfigKey key, ChronoUnit bareNumberUnit) {
    try {
      return Durations.parse(getOrDefault(key), bareNumberUnit);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw invalid(key, e.getMessage(), e);
    }
  }

  public int integer(ConfigKey key) {
    String v = getOrDefault(key);
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw invalid(key, "not an integer: '" + v + "'", e);
    }
  }

  public long longValue(ConfigKey key) {
    String v = getOrDefault(key);
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw invalid(key, "not an integer: '" + v + "'", e);
    }
  }

  /** {@code true} or {@code false}, in any case. */
  public boolean bool(ConfigKey key) {
    String v = getOrDefault(key).toLowerCase(Locale.ROOT);
    if (!v.equals("true") && !v.equals("false")) {
      throw invalid(key, "must be true or false, got '" + v + "'", null);
    }
    return Boolean.parseBoolean(v);
  }

  /** An {@code http} or {@code https} URL with a host. */
  public URI httpUrl(ConfigKey key) {
    String v = getOrDefault(key);
    URI u;
    try {
      u = new URI(v);
    } catch (URISyntaxException e) {
      throw invalid(key, "not a URL: '" + v + "'", e);
    }
    if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
      throw invalid(key, "must be an http(s) URL with a host, got '" + v + "'", null);
    }
    return u;
  }

  /** The service's exception for a bad value of {@code key}. */
  public RuntimeException invalid(ConfigKey key, String message, Throwable cause) {
    return errors.apply(key.displayName() + ": " + message, cause);
  }

  private static Map<String, String> load(Path path, BiFunction<String, Throwable, RuntimeException> errors) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw errors.apply("cannot read config file " + path + ": " + e, e);
    }
    Map<String, String> m = new HashMap<>();
    p.stringPropertyNames().forEach(n -> m.put(n, p.getProperty(n)));
    return Map.copyOf(m);
  }
}
