package io.edgefleet.controlplane.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Device authentication settings (prefix {@code edgefleet.auth}). Operator tokens are verified by Quarkus with the
 * standard {@code mp.jwt.verify.*} keys, not here.
 */
@ConfigMapping(prefix = "edgefleet.auth")
public interface AuthConfig {

  DeviceTokens deviceTokens();

  Enrolment enrolment();

  /** Short-lived device tokens (EdDSA JWTs) minted by the control plane at enrolment. */
  interface DeviceTokens {
    /** Ed25519 PKCS#8 private key PEM that signs new device tokens (required unless {@link #generateEphemeralKey}). */
    Optional<Path> signingKey();

    /** The public key PEM of {@link #signingKey()}. */
    Optional<Path> signingPublicKey();

    /** Public key PEMs of previous signing keys whose tokens are still accepted (key rotation). */
    Optional<List<Path>> previousPublicKeys();

    /**
     * Dev only: sign with a key generated in memory at start (tokens die with the process). Never in production.
     */
    @WithDefault("false")
    boolean generateEphemeralKey();

    /** {@code iss} of device tokens. */
    @WithDefault("edgefleet-control-plane")
    String issuer();

    /** Lifetime of a device token. */
    @WithDefault("PT15M")
    Duration ttl();
  }

  interface Enrolment {
    /** Accepted distance between the enrolment request's timestamp and the server clock (replay window). */
    @WithDefault("PT5M")
    Duration maxClockSkew();

    /** Largest accepted enrolment body. */
    @WithDefault("65536")
    int maxBodyBytes();
  }
}
