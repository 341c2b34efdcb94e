package io.edgefleet.schemas.api;

import java.time.Instant;

/**
 * {@code GET /api/devices/{id}/assignment}: the build the device should run, with short-lived presigned download
 * URLs. The device holds no storage credentials. An {@code ETag} header carries {@code revision}.
 *
 * @param revision increases whenever the desired state changes
 * @param buildKey null when nothing is assigned
 * @param artifactUrl presigned GET of the quantized .tflite
 * @param artifactSha256 expected sha256, verified while streaming
 * @param sizeBytes expected size
 * @param signature Ed25519 signature of the artifact (base64)
 * @param signingKeyId which platform key signed it
 * @param evalSetUrl presigned GET of the labelled evaluation samples (.efs), may be null
 * @param referenceOutputsUrl presigned GET of the float model's outputs on the evaluation samples (.efs), may be null
 * @param maxAccuracyDrop smoke-test bound on agreement loss vs float (0..1)
 * @param pollIntervalSeconds server-set poll interval
 * @param urlsExpireAt when the presigned URLs stop working
 */
public record DeviceAssignment(
    String deviceId,
    long revision,
    String rolloutId,
    String buildKey,
    String artifactUrl,
    String artifactSha256,
    long sizeBytes,
    String signature,
    String signingKeyId,
    String evalSetUrl,
    String referenceOutputsUrl,
    double maxAccuracyDrop,
    int pollIntervalSeconds,
    Instant urlsExpireAt) {

  public boolean hasBuild() {
    return buildKey != null;
  }
}
