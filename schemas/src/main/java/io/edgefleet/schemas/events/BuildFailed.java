package io.edgefleet.schemas.events;

import java.time.Instant;
import java.util.Objects;

/**
 * A build that could not be produced. Type {@code fleet.build.failed.v1}, topic
 * {@link io.edgefleet.schemas.Topics#BUILD_RESULTS}.
 *
 * @param errorCode stable error key (e.g. {@code UNSUPPORTED_OP}, {@code CORRUPT_MODEL})
 * @param message human-readable reason
 * @param retriable whether asking again may succeed
 */
public record BuildFailed(
    String buildKey, String errorCode, String message, boolean retriable, String workerId, Instant failedAt)
    implements BuildEvent {

  public BuildFailed {
    Objects.requireNonNull(buildKey, "buildKey");
    Objects.requireNonNull(errorCode, "errorCode");
  }
}
