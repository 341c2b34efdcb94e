package io.edgefleet.simulator.fleet;

import io.edgefleet.simulator.SimulatorErrorCode;
import io.edgefleet.simulator.SimulatorException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the simulated fleet behaves. Validated once; use {@link #defaults(URI, String)} and the {@code with…} methods.
 *
 * @param controlPlaneUrl control plane base URL
 * @param kafkaBootstrapServers Kafka for feedback and telemetry
 * @param devicePrefix device ids are {@code <prefix><index, 6 digits>}
 * @param hardwareClasses how many {@link SimulatedHardware} classes the fleet is spread over (1..4)
 * @param maxInFlightRequests bound of concurrent HTTP requests of the whole fleet (devices whose turn comes while the
 *     bound is reached retry shortly after; counted as deferred)
 * @param httpTimeout request timeout
 * @param telemetryInterval period of each device's {@code InferenceTelemetry}
 * @param inferenceInterval simulated delay between two inferences (sets the inference count per window)
 * @param verifyDownloadFraction share of devices (0..1) that really GET the presigned artifact URL and verify its sha256
 *     and size; the others skip the transfer
 * @param trustedPublicKey Ed25519 public key PEM the build signature is checked against when the build is profiled;
 *     null skips the check
 * @param profileInferences inferences timed when a build is measured in the TFLite runtime
 * @param schedulerThreads threads of the shared scheduler
 */
public record SimulatorConfig(
    URI controlPlaneUrl,
    String kafkaBootstrapServers,
    String devicePrefix,
    int hardwareClasses,
    int maxInFlightRequests,
    Duration httpTimeout,
    Duration telemetryInterval,
    Duration inferenceInterval,
    double verifyDownloadFraction,
    Path trustedPublicKey,
    int profileInferences,
    int schedulerThreads) {

  public SimulatorConfig {
    Objects.requireNonNull(controlPlaneUrl, "controlPlaneUrl");
    Objects.requireNonNull(kafkaBootstrapServers, "kafkaBootstrapServers");
    Objects.requireNonNull(devicePrefix, "devicePrefix");
    Objects.requireNonNull(httpTimeout, "httpTimeout");
    Objects.requireNonNull(telemetryInterval, "telemetryInterval");
    Objects.requireNonNull(inferenceInterval, "inferenceInterval");
    require(devicePrefix.matches("[A-Za-z0-9._-]{1,64}"), "devicePrefix must match [A-Za-z0-9._-]{1,64}");
    require(hardwareClasses >= 1 && hardwareClasses <= SimulatedHardware.values().length,
        "hardwareClasses must be 1.." + SimulatedHardware.values().length);
    require(maxInFlightRequests >= 1, "maxInFlightRequests must be >= 1");
    require(!telemetryInterval.isNegative() && !telemetryInterval.isZero(), "telemetryInterval must be > 0");
    require(!inferenceInterval.isNegative() && !inferenceInterval.isZero(), "inferenceInterval must be > 0");
    require(verifyDownloadFraction >= 0 && verifyDownloadFraction <= 1, "verifyDownloadFraction must be in 0..1");
    require(profileInferences >= 10, "profileInferences must be >= 10");
    require(schedulerThreads >= 1, "schedulerThreads must be >= 1");
  }

  /** Defaults: 4 hardware classes, 256 requests in flight, telemetry every 10 s, 1% of downloads verified. */
  public static SimulatorConfig defaults(URI controlPlaneUrl, String kafkaBootstrapServers) {
    return new SimulatorConfig(controlPlaneUrl, kafkaBootstrapServers, "sim-", 4, 256, Duration.ofSeconds(30),
        Duration.ofSeconds(10), Duration.ofMillis(20), 0.01, null, 300, 2);
  }

  public SimulatorConfig withHardwareClasses(int n) {
    return new SimulatorConfig(controlPlaneUrl, kafkaBootstrapServers, devicePrefix, n, maxInFlightRequests, httpTimeout,
        telemetryInterval, inferenceInterval, verifyDownloadFraction, trustedPublicKey, profileInferences, schedulerThreads);
  }

  public SimulatorConfig withMaxInFlightRequests(int n) {
    return new SimulatorConfig(controlPlaneUrl, kafkaBootstrapServers, devicePrefix, hardwareClasses, n, httpTimeout,
        telemetryInterval, inferenceInterval, verifyDownloadFraction, trustedPublicKey, profileInferences, schedulerThreads);
  }

  public SimulatorConfig withTelemetryInterval(Duration d) {
    return new SimulatorConfig(controlPlaneUrl, kafkaBootstrapServers, devicePrefix, hardwareClasses, maxInFlightRequests,
        httpTimeout, d, inferenceInterval, verifyDownloadFraction, trustedPublicKey, profileInferences, schedulerThreads);
  }

  public SimulatorConfig withVerifyDownloadFraction(double f) {
    return new SimulatorConfig(controlPlaneUrl, kafkaBootstrapServers, devicePrefix, hardwareClasses, maxInFlightRequests,
        httpTimeout, telemetryInterval, inferenceInterval, f, trustedPublicKey, profileInferences, schedulerThreads);
  }

  public SimulatorConfig withTrustedPublicKey(Path pem) {
    return new SimulatorConfig(controlPlaneUrl, kafkaBootstrapServers, devicePrefix, hardwareClasses, maxInFlightRequests,
        httpTimeout, telemetryInterval, inferenceInterval, verifyDownloadFraction, pem, profileInferences, schedulerThreads);
  }

  public SimulatorConfig withDevicePrefix(String prefix) {
    return new SimulatorConfig(controlPlaneUrl, kafkaBootstrapServers, prefix, hardwareClasses, maxInFlightRequests,
        httpTimeout, telemetryInterval, inferenceInterval, verifyDownloadFraction, trustedPublicKey, profileInferences,
        schedulerThreads);
  }

  /** Id of the {@code index}-th device. */
  public String deviceId(int index) {
    return devicePrefix + String.format("%06d", index);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new SimulatorException(SimulatorErrorCode.INVALID_CONFIG, message);
    }
  }
}
