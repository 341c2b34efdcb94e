package io.edgefleet.controlplane.auth;

import io.edgefleet.schemas.api.DeviceRegistration;
import java.time.Instant;

/** An auth set as admins see it; {@code registration} is what the device reported at its last enrolment. */
public record AuthSetView(
    String id, String deviceId, String keyId, String publicKey, AuthSetStatus status,
    DeviceRegistration registration, Instant createdAt, Instant updatedAt, Instant lastAuthAt) {}
