package io.edgefleet.controlplane.auth;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/** One entry of {@code POST /api/devices/preauthorized}: a device id and its Ed25519 public key PEM. */
public record Preauthorization(
    @NotBlank @Pattern(regexp = "[A-Za-z0-9._-]{1,128}") String deviceId, @NotBlank String publicKey) {}
