package io.edgefleet.controlplane.auth;

import java.time.Instant;

/** A freshly minted device token. */
public record IssuedToken(String token, Instant expiresAt) {}
