package io.edgefleet.schemas.events;

import java.time.Instant;
import java.util.Objects;

/**
 * A finished, stored and signed build. Type {@code fleet.build.completed.v1}, topic
 * {@link io.edgefleet.schemas.Topics#BUILD_RESULTS}.
 *
 * @param artifactObjectKey content-addressed key of the quantized .tflite
 * @param artifactSha256 sha256 of the artifact bytes (hex)
 * @param sizeBytes artifact size
 * @param signature Ed25519 signature of the artifact bytes (base64)
 * @param signingKeyId id of the key that signed it (agents hold the public keys)
 * @param referenceOutputsObjectKey key of the float model's outputs on the evaluation set (.efs, float32), may be null
 * @param metrics measured quality and cost
 * @param workerId which worker built it
 * @param durationMillis build wall time
 */
public record BuildCompleted(
    String buildKey,
    String modelSha256,
    String planHash,
    String artifactObjectKey,
    String artifactSha256,
    long sizeBytes,
    String signature,
    String signingKeyId,
    String referenceOutputsObjectKey,
    BuildMetrics metrics,
    String workerId,
    long durationMillis,
    Instant completedAt)
    implements BuildEvent {

  public BuildCompleted {
    Objects.requireNonNull(buildKey, "buildKey");
    Objects.requireNonNull(artifactObjectKey, "artifactObjectKey");
    Objects.requireNonNull(artifactSha256, "artifactSha256");
  }
}
