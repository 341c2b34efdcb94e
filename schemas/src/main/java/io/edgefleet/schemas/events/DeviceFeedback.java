package io.edgefleet.schemas.events;

import java.time.Instant;
import java.util.Objects;

/**
 * Device feedback on its assignment. Type {@code fleet.device.feedback.v1}, topic
 * {@link io.edgefleet.schemas.Topics#DEVICE_FEEDBACK}, key device id.
 *
 * @param rolloutId rollout the assignment belongs to, may be null
 * @param buildKey build the feedback is about
 * @param status progress
 * @param reason details for failures and rollbacks, may be null
 */
public record DeviceFeedback(
    String deviceId, String rolloutId, String buildKey, FeedbackStatus status, String reason, Instant at)
    implements DeviceEvent {

  public DeviceFeedback {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(buildKey, "buildKey");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(at, "at");
  }
}
