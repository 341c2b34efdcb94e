package io.edgefleet.controlplane.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefleet.controlplane.config.EdgefleetConfig;
import io.edgefleet.controlplane.devices.Page;
import io.edgefleet.controlplane.errors.ControlPlaneException;
import io.edgefleet.controlplane.errors.ErrorCode;
import io.edgefleet.schemas.api.DeviceRegistration;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.schemas.signing.ArtifactSignatures;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Device enrolment and auth-set administration. A device proves possession of its key by signing the enrolment body;
 * the (device id, key) auth set decides: usable → token, new → PENDING, rejected → refused. A device has at most one
 * usable auth set: accepting or preauthorising a key rejects the device's other usable keys.
 */
@ApplicationScoped
public class DeviceAuthService {
  private static final Logger LOG = Logger.getLogger(DeviceAuthService.class);
  private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  private final AuthConfig config;
  private final EdgefleetConfig edgefleet;
  private final DeviceTokenService tokens;
  private final EntityManager em;
  private final ObjectMapper mapper = EventCodec.mapper();
  private final Clock clock = Clock.systemUTC();

  public DeviceAuthService(AuthConfig config, EdgefleetConfig edgefleet, DeviceTokenService tokens,
      EntityManager em) {
    this.config = config;
    this.edgefleet = edgefleet;
    this.tokens = tokens;
    this.em = em;
  }

  /**
   * Verifies an enrolment request and answers with a token when the key is accepted or preauthorised.
   *
   * @throws ControlPlaneException {@link ErrorCode#DEVICE_AUTH_INVALID} (malformed body, bad signature, stale
   *     timestamp), {@link ErrorCode#DEVICE_AUTH_PENDING} (new or undecided key), {@link
   *     ErrorCode#DEVICE_AUTH_REJECTED}
   */
  @Transactional(dontRollbackOn = ControlPlaneException.class)
  public EnrolmentResponse enrol(byte[] body, String signatureHeader) {
    if (body == null || body.length == 0 || body.length > config.enrolment().maxBodyBytes()) {
      throw invalid("the enrolment body is empty or larger than " + config.enrolment().maxBodyBytes() + " bytes");
    }
    EnrolmentRequest request;
    try {
      request = mapper.readValue(body, EnrolmentRequest.class);
    } catch (IOException e) {
      throw invalid("the enrolment body is not a valid enrolment request");
    }
    if (request.deviceId() == null || !DEVICE_ID.matcher(request.deviceId()).matches()) {
      throw invalid("deviceId must match [A-Za-z0-9._-]{1,128}");
    }
    if (request.registration() == null || !request.deviceId().equals(request.registration().deviceId())) {
      throw invalid("registration.deviceId must equal deviceId");
    }
    if (request.timestamp() == null || request.publicKey() == null) {
      throw invalid("publicKey and timestamp are required");
    }
    PublicKey key = publicKey(request.publicKey());
    if (signatureHeader == null || !verify(key, body, signatureHeader)) {
      throw invalid("the X-Edgefleet-Signature header is missing or does not verify with the body's key");
    }
    Instant now = clock.instant();
    Duration skew = Duration.between(request.timestamp(), now).abs();
    if (skew.compareTo(config.enrolment().maxClockSkew()) > 0) {
      throw invalid("timestamp is " + skew.toSeconds() + " s away from the server clock (allowed "
          + config.enrolment().maxClockSkew().toSeconds() + " s)");
    }
    rejectReplay(signatureHeader, now);
    String keyId = ArtifactSignatures.keyId(key);
    String registrationJson = json(request.registration());
    // insert-if-absent: concurrent first enrolments of one key converge on one row
    em.createNativeQuery("INSERT INTO device_auth_set (id, device_id, key_id, public_key, status, registration_json,"
            + " created_at, updated_at) VALUES (:id, :device, :key, :pem, 'PENDING', :reg, :now, :now)"
            + " ON CONFLICT (device_id, key_id) DO NOTHING")
        .setParameter("id", UUID.randomUUID().toString()).setParameter("device", request.deviceId())
        .setParameter("key", keyId).setParameter("pem", ArtifactSignatures.toPem(key))
        .setParameter("reg", registrationJson).setParameter("now", now).executeUpdate();
    AuthSet set = AuthSet.find("deviceId = ?1 and keyId = ?2", request.deviceId(), keyId).firstResult();
    if (set == null) {
      throw new ControlPlaneException(ErrorCode.INTERNAL, "auth set of " + request.deviceId() + " vanished");
    }
    set.registrationJson = registrationJson;
    set.updatedAt = now;
    if (set.status == AuthSetStatus.PENDING) {
      LOG.infof("device %s enrolment pending (auth set %s, key %s)", set.deviceId, set.id, keyId);
      throw new ControlPlaneException(ErrorCode.DEVICE_AUTH_PENDING, "device " + set.deviceId + " key " + keyId
          + " is waiting for an admin decision (auth set " + set.id + ")");
    }
    if (set.status == AuthSetStatus.REJECTED) {
      throw new ControlPlaneException(ErrorCode.DEVICE_AUTH_REJECTED,
          "device " + set.deviceId + " key " + keyId + " was rejected");
    }
    if (set.status == AuthSetStatus.PREAUTHORIZED) {
      set.status = AuthSetStatus.ACCEPTED;
    }
    set.lastAuthAt = now;
    IssuedToken token = tokens.issue(set.deviceId, set.id);
    return new EnrolmentResponse(set.deviceId, token.token(), token.expiresAt(),
        edgefleet.devices().pollIntervalSeconds());
  }

  /**
   * The device of a bearer token, checked to be {@code deviceId} and still backed by a usable auth set (so rejecting
   * or decommissioning takes effect at the next call, not at token expiry).
   *
   * @throws ControlPlaneException {@link ErrorCode#DEVICE_TOKEN_INVALID} (no/invalid/expired/revoked token),
   *     {@link ErrorCode#DEVICE_FORBIDDEN} (a token of another device)
   */
  public DevicePrincipal authorize(String authorizationHeader, String deviceId) {
    if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new ControlPlaneException(ErrorCode.DEVICE_TOKEN_INVALID, "a device bearer token is required");
    }
    DevicePrincipal p = tokens.verify(authorizationHeader.substring(7).trim());
    AuthSet set = AuthSet.findById(p.authSetId());
    if (set == null || !set.status.usable() || !set.deviceId.equals(p.deviceId())) {
      throw new ControlPlaneException(ErrorCode.DEVICE_TOKEN_INVALID, "the device's credential has been revoked");
    }
    if (!p.deviceId().equals(deviceId)) {
      throw new ControlPlaneException(ErrorCode.DEVICE_FORBIDDEN,
          "the token of device " + p.deviceId() + " does not grant access to device " + deviceId);
    }
    return p;
  }

  /** Auth sets, optionally of one status and/or device, newest first. */
  public Page<AuthSetView> list(AuthSetStatus status, String deviceId, int page, int size) {
    StringBuilder q = new StringBuilder("1 = 1");
    java.util.Map<String, Object> params = new java.util.HashMap<>();
    if (status != null) {
      q.append(" and status = :status");
      params.put("status", status);
    }
    if (deviceId != null) {
      q.append(" and deviceId = :device");
      params.put("device", deviceId);
    }
    var query = AuthSet.<AuthSet>find(q.toString(), Sort.descending("createdAt").and("id"), params);
    long total = query.count();
    List<AuthSetView> items = query.page(page, size).list().stream().map(this::view).toList();
    return new Page<>(items, page, size, total);
  }

  /** Accepts an auth set; the device's other usable keys are rejected. */
  @Transactional
  public AuthSetView accept(String deviceId, String authSetId) {
    AuthSet set = require(deviceId, authSetId);
    supersedeOthers(set);
    set.status = AuthSetStatus.ACCEPTED;
    set.updatedAt = clock.instant();
    LOG.infof("device %s auth set %s accepted", deviceId, authSetId);
    return view(set);
  }

  /** Rejects an auth set: its key gets no token, and tokens already issued for it stop working. */
  @Transactional
  public AuthSetView reject(String deviceId, String authSetId) {
    AuthSet set = require(deviceId, authSetId);
    set.status = AuthSetStatus.REJECTED;
    set.updatedAt = clock.instant();
    LOG.infof("device %s auth set %s rejected", deviceId, authSetId);
    return view(set);
  }

  /** Preauthorises (device id, key) pairs in bulk; an existing set of the same key becomes PREAUTHORIZED. */
  @Transactional
  public List<AuthSetView> preauthorize(List<Preauthorization> entries) {
    Instant now = clock.instant();
    return entries.stream().map(e -> {
      PublicKey key = publicKey(e.publicKey());
      String keyId = ArtifactSignatures.keyId(key);
      AuthSet set = AuthSet.find("deviceId = ?1 and keyId = ?2", e.deviceId(), keyId).firstResult();
      if (set == null) {
        set = new AuthSet();
        set.id = UUID.randomUUID().toString();
        set.deviceId = e.deviceId();
        set.keyId = keyId;
        set.publicKey = ArtifactSignatures.toPem(key);
        set.createdAt = now;
        set.status = AuthSetStatus.PREAUTHORIZED;
        set.updatedAt = now;
        set.persist();
      } else if (!set.status.usable()) {
        set.status = AuthSetStatus.PREAUTHORIZED;
        set.updatedAt = now;
      }
      supersedeOthers(set);
      return view(set);
    }).toList();
  }

  /** Removes every auth set of a device: its tokens stop working at once; a returning device shows up as PENDING. */
  @Transactional
  public long decommission(String deviceId) {
    long removed = AuthSet.delete("deviceId", deviceId);
    if (removed == 0) {
      throw ControlPlaneException.notFound(ErrorCode.AUTH_SET_NOT_FOUND, "auth sets of device", deviceId);
    }
    LOG.infof("device %s decommissioned: %d auth set(s) removed", deviceId, removed);
    return removed;
  }

  /**
   * Records the request's signature; a signature already seen inside the replay window is a replayed request. Ed25519
   * signatures are deterministic, and every genuine request carries a fresh timestamp, so a repeat is never genuine.
   */
  private void rejectReplay(String signatureB64, Instant now) {
    em.createNativeQuery("DELETE FROM device_enrolment_seen WHERE seen_at < :cutoff")
        .setParameter("cutoff", now.minus(config.enrolment().maxClockSkew().multipliedBy(2))).executeUpdate();
    String digest;
    try {
      digest = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(Base64.getDecoder().decode(signatureB64.trim())));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    int inserted = em.createNativeQuery("INSERT INTO device_enrolment_seen (signature_sha256, seen_at)"
            + " VALUES (:digest, :now) ON CONFLICT DO NOTHING")
        .setParameter("digest", digest).setParameter("now", now).executeUpdate();
    if (inserted == 0) {
      throw invalid("this enrolment request was already used (replay)");
    }
  }

  private void supersedeOthers(AuthSet keep) {
    List<AuthSet> others = AuthSet.list("deviceId = ?1 and id <> ?2", keep.deviceId, keep.id);
    for (AuthSet o : others) {
      if (o.status.usable()) {
        o.status = AuthSetStatus.REJECTED;
        o.updatedAt = clock.instant();
      }
    }
  }

  private static AuthSet require(String deviceId, String authSetId) {
    AuthSet set = AuthSet.findById(authSetId);
    if (set == null || !set.deviceId.equals(deviceId)) {
      throw ControlPlaneException.notFound(ErrorCode.AUTH_SET_NOT_FOUND, "auth set", deviceId + "/" + authSetId);
    }
    return set;
  }

  private AuthSetView view(AuthSet s) {
    DeviceRegistration reg = null;
    if (s.registrationJson != null) {
      try {
        reg = mapper.readValue(s.registrationJson, DeviceRegistration.class);
      } catch (JsonProcessingException e) {
        throw new ControlPlaneException(ErrorCode.INTERNAL, "stored registration of auth set " + s.id
            + " is unreadable", e);
      }
    }
    return new AuthSetView(s.id, s.deviceId, s.keyId, s.publicKey, s.status, reg, s.createdAt, s.updatedAt,
        s.lastAuthAt);
  }

  private String json(DeviceRegistration registration) {
    try {
      return mapper.writeValueAsString(registration);
    } catch (JsonProcessingException e) {
      throw invalid("the registration cannot be serialised");
    }
  }

  private static PublicKey publicKey(String pem) {
    try {
      return ArtifactSignatures.readPublicKey(pem);
    } catch (IllegalArgumentException e) {
      throw new ControlPlaneException(ErrorCode.DEVICE_AUTH_INVALID, "publicKey is not an Ed25519 public key PEM", e);
    }
  }

  private static boolean verify(PublicKey key, byte[] body, String signatureB64) {
    byte[] sig;
    try {
      sig = Base64.getDecoder().decode(signatureB64.trim());
    } catch (IllegalArgumentException e) {
      return false;
    }
    try {
      Signature s = Signature.getInstance(ArtifactSignatures.ALGORITHM);
      s.initVerify(key);
      s.update(body);
      return s.verify(sig);
    } catch (java.security.SignatureException e) {
      return false;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 verification could not run", e);
    }
  }

  private static ControlPlaneException invalid(String message) {
    return new ControlPlaneException(ErrorCode.DEVICE_AUTH_INVALID, message);
  }
}
