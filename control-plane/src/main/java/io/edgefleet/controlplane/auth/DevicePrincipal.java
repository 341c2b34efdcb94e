package io.edgefleet.controlplane.auth;

import java.time.Instant;

/** A verified device token: the device, the auth set it was issued for, and its expiry. */
public record DevicePrincipal(String deviceId, String authSetId, Instant expiresAt) {}
