package io.edgefleet.controlplane.auth;

import java.time.Instant;

/** A device token handed out at enrolment; send it as {@code Authorization: Bearer <token>} until it expires. */
public record EnrolmentResponse(String deviceId, String token, Instant expiresAt, int pollIntervalSeconds) {}
