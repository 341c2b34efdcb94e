package io.edgefleet.controlplane.auth;

import io.edgefleet.controlplane.errors.ControlPlaneException;
import io.edgefleet.controlplane.errors.ErrorCode;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.Key;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.lang.JoseException;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * Mints and verifies device tokens: EdDSA (Ed25519) JWTs with {@code sub} = device id, {@code groups} = [device],
 * {@code aud} = {@value #AUDIENCE}, {@code aid} = auth set id, signed by the current key of {@link DeviceTokenKeys}
 * and accepted when signed by the current or a previous key.
 */
@ApplicationScoped
public class DeviceTokenService {
  /** Audience of device tokens: never accepted where operator tokens are expected, and vice versa. */
  public static final String AUDIENCE = "edgefleet-device-api";
  /** Claim carrying the auth set id. */
  public static final String AUTH_SET_CLAIM = "aid";

  private final DeviceTokenKeys keys;
  private final AuthConfig config;
  private final JwtConsumer consumer;
  private final Clock clock = Clock.systemUTC();

  public DeviceTokenService(DeviceTokenKeys keys, AuthConfig config) {
    this.keys = keys;
    this.config = config;
    this.consumer = new JwtConsumerBuilder()
        .setRequireExpirationTime()
        .setRequireIssuedAt()
        .setRequireSubject()
        .setAllowedClockSkewInSeconds(5)
        .setExpectedIssuer(config.deviceTokens().issuer())
        .setExpectedAudience(AUDIENCE)
        .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.EDDSA)
        .setVerificationKeyResolver((jws, nested) -> {
          Key k = keys.verificationKey(jws.getKeyIdHeaderValue());
          if (k == null) {
            throw new UnresolvableKeyException("unknown device token key id " + jws.getKeyIdHeaderValue());
          }
          return k;
        })
        .build();
  }

  /** A token for {@code deviceId} authenticated through auth set {@code authSetId}. */
  public IssuedToken issue(String deviceId, String authSetId) {
    Instant now = clock.instant();
    Instant expires = now.plus(config.deviceTokens().ttl());
    JwtClaims claims = new JwtClaims();
    claims.setIssuer(config.deviceTokens().issuer());
    claims.setAudience(AUDIENCE);
    claims.setSubject(deviceId);
    claims.setIssuedAt(NumericDate.fromMilliseconds(now.toEpochMilli()));
    claims.setExpirationTime(NumericDate.fromMilliseconds(expires.toEpochMilli()));
    claims.setGeneratedJwtId();
    claims.setStringListClaim("groups", List.of(Roles.DEVICE));
    claims.setClaim(AUTH_SET_CLAIM, authSetId);
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(claims.toJson());
    jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.EDDSA);
    jws.setKeyIdHeaderValue(keys.signingKeyId());
    jws.setKey(keys.signingKey());
    try {
      return new IssuedToken(jws.getCompactSerialization(), Instant.ofEpochSecond(expires.getEpochSecond()));
    } catch (JoseException e) {
      throw new ControlPlaneException(ErrorCode.INTERNAL, "cannot sign a device token: " + e.getMessage(), e);
    }
  }

  /**
   * The principal of a device token.
   *
   * @throws ControlPlaneException {@link ErrorCode#DEVICE_TOKEN_INVALID} for a bad signature, unknown key, wrong
   *     issuer/audience/group, or an expired token
   */
  public DevicePrincipal verify(String token) {
    try {
      JwtClaims c = consumer.processToClaims(token);
      List<String> groups = c.getStringListClaimValue("groups");
      String authSet = c.getStringClaimValue(AUTH_SET_CLAIM);
      if (groups == null || !groups.contains(Roles.DEVICE) || authSet == null) {
        throw new ControlPlaneException(ErrorCode.DEVICE_TOKEN_INVALID, "not a device token");
      }
      return new DevicePrincipal(c.getSubject(), authSet,
          Instant.ofEpochSecond(c.getExpirationTime().getValue()));
    } catch (InvalidJwtException e) {
      String reason = e.hasExpired() ? "the device token has expired" : "the device token is invalid";
      throw new ControlPlaneException(ErrorCode.DEVICE_TOKEN_INVALID, reason, e);
    } catch (MalformedClaimException e) {
      throw new ControlPlaneException(ErrorCode.DEVICE_TOKEN_INVALID, "malformed device token claims", e);
    }
  }
}
