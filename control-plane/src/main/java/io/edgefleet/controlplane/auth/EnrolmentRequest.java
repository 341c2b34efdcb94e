package io.edgefleet.controlplane.auth;

import io.edgefleet.schemas.api.DeviceRegistration;
import java.time.Instant;

/**
 * Body of {@code POST /api/devices/auth}; the {@code X-Edgefleet-Signature} header carries the base64 Ed25519
 * signature of the exact body bytes, made with the private key of {@code publicKey}.
 */
public record EnrolmentRequest(String deviceId, String publicKey, DeviceRegistration registration, Instant timestamp) {}
