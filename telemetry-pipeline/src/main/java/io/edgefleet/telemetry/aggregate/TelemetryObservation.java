package io.edgefleet.telemetry.aggregate;

import java.util.Objects;

/**
 * One validated telemetry batch, ready to be added to aggregates.
 *
 * @param hardwareClass the device's class, {@link #UNKNOWN_CLASS} if the batch did not say
 * @param rolloutId null when the device runs a build outside any rollout
 * @param histogram the batch's latency histogram (µs), decoded once; null if the batch carried none
 */
public record TelemetryObservation(
    String deviceId,
    long sequence,
    String buildKey,
    String rolloutId,
    String hardwareClass,
    long windowStartMillis,
    long windowEndMillis,
    long inferences,
    SparseHistogram histogram,
    long labelled,
    long correct,
    long reference,
    long agreement,
    long errors) {

  /** Hardware class used when a batch carries none. */
  public static final String UNKNOWN_CLASS = "unknown";

  public TelemetryObservation {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(buildKey, "buildKey");
    Objects.requireNonNull(hardwareClass, "hardwareClass");
  }
}
