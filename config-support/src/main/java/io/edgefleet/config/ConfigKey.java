package io.edgefleet.config;

import java.util.Locale;

/**
 * One configuration key of a service, usually an enum constant. A key {@code worker.a.b-c} is read, in this order,
 * from the system property {@code -Dworker.a.b-c=…}, the environment variable {@code WORKER_A_B_C}, the service's
 * properties file, and finally {@link #defaultValue()}.
 */
public interface ConfigKey {

  /**
   * What a key is.
   *
   * @param property system property / properties-file key, e.g. {@code worker.s3.endpoint}
   * @param defaultValue {@code null} if the key is required, empty if the default is computed at start
   * @param description one line for error messages and the service's documentation
   */
  record Spec(String property, String defaultValue, String description) {
    public Spec {
      if (property == null || property.isBlank() || description == null) {
        throw new IllegalArgumentException("a config key needs a property name and a description");
      }
    }
  }

  /** This key's name, default and description (an enum constant keeps one, made in its constructor). */
  Spec spec();

  /** System property / properties-file key, e.g. {@code worker.s3.endpoint}. */
  default String property() {
    return spec().property();
  }

  /** Default value; {@code null} if the key is required, empty if the default is computed at start. */
  default String defaultValue() {
    return spec().defaultValue();
  }

  /** One line for error messages and the service's documentation. */
  default String description() {
    return spec().description();
  }

  /** Environment variable, e.g. {@code WORKER_S3_ENDPOINT}. */
  default String environmentVariable() {
    return property().toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** {@code worker.s3.endpoint (env WORKER_S3_ENDPOINT)}: how a message names the key. */
  default String displayName() {
    return property() + " (env " + environmentVariable() + ")";
  }
}
