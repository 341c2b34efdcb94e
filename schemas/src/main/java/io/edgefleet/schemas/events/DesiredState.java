package io.edgefleet.schemas.events;

import java.time.Instant;
import java.util.Objects;

/**
 * The build a device should run. Type {@code fleet.device.desired-state.v1}, compacted topic
 * {@link io.edgefleet.schemas.Topics#DESIRED_STATE}, key device id. Carries no URLs: download links are presigned on
 * request because they are short-lived.
 *
 * @param revision increases with every change of this device's desired state
 * @param buildKey build to run, null when the device should run nothing new
 * @param artifactSha256 expected sha256 of the artifact
 * @param sizeBytes expected artifact size
 * @param signature Ed25519 signature (base64) of the artifact
 * @param signingKeyId key id of the signature
 * @param maxAccuracyDrop smoke-test bound: max drop of top-1 agreement vs the float reference (0..1)
 */
public record DesiredState(
    String deviceId,
    long revision,
    String rolloutId,
    String buildKey,
    String artifactSha256,
    long sizeBytes,
    String signature,
    String signingKeyId,
    double maxAccuracyDrop,
    Instant updatedAt)
    implements DeviceEvent {

  public DesiredState {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }
}
