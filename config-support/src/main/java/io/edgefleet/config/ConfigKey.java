package io.edgefleet.config;

import java.util.Locale;

/**
 * One configuration key of a service, usually an enum constant. A key {@code worker.a.b-c} is read, in this order,
 * from the system property {@code -Dworker.a.b-c=…}, the environment variable {@code WORKER_A_B_C}, the service's
 * properties file, and finally {@link #defaultValue()}.
 */
public interface ConfigKey {

  /** System property / properties-file key, e.g. {@code worker.s3.endpoint}. */
  String property();

  /** Default value; {@code null} if the key is required, empty if the default is computed at start. */
  String defaultValue();

  /** One line for error messages and the service's documentation. */
  String description();

  /** Environment variable, e.g. {@code WORKER_S3_ENDPOINT}. */
  default String environmentVariable() {
    return property().toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** {@code worker.s3.endpoint (env WORKER_S3_ENDPOINT)}: how a message names the key. */
  default String displayName() {
    return property() + " (env " + environmentVariable() + ")";
  }
}
