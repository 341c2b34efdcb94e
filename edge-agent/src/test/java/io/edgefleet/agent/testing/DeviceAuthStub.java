package io.edgefleet.agent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.schemas.signing.ArtifactSignatures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The control plane's device authentication for agent tests: {@code POST /api/devices/auth} verifies the Ed25519
 * signature of the body with the body's key and the timestamp window, then answers by {@link Mode} (token, pending
 * 401 or rejected 403 problems with the control plane's codes); {@link #authorize} checks the bearer token of the
 * other device endpoints (401 without a live token of that device, 403 for another device's token).
 */
public final class DeviceAuthStub {
  /** How enrolments are answered. */
  public enum Mode { ACCEPT, PENDING, REJECT }

  private volatile Mode mode = Mode.ACCEPT;
  private volatile Duration ttl = Duration.ofMinutes(15);
  private final Map<String, Issued> tokens = new ConcurrentHashMap<>();
  private final List<String> enrolledKeys = new CopyOnWriteArrayList<>();
  private final List<String> rejectedCalls = new CopyOnWriteArrayList<>();

  private record Issued(String deviceId, Instant expiresAt) {}

  public void mode(Mode m) {
    mode = m;
  }

  /** Lifetime of the tokens issued from now on. */
  public void ttl(Duration d) {
    ttl = d;
  }

  /** Forgets every issued token: the next authenticated call answers 401. */
  public void revokeAll() {
    tokens.clear();
  }

  /** Public key PEMs of the enrolment requests that verified, in order. */
  public List<String> enrolledKeys() {
    return enrolledKeys;
  }

  /** Paths of authenticated calls answered 401/403. */
  public List<String> rejectedCalls() {
    return rejectedCalls;
  }

  /** Handles {@code POST /api/devices/auth}; false for any other request. */
  public boolean handleEnrolment(HttpExchange ex) throws IOException {
    if (!ex.getRequestMethod().equals("POST") || !ex.getRequestURI().getPath().equals("/api/devices/auth")) {
      return false;
    }
    byte[] body = ex.getRequestBody().readAllBytes();
    JsonNode n = EventCodec.mapper().readTree(body);
    String deviceId = n.path("deviceId").asText();
    PublicKey key = ArtifactSignatures.readPublicKey(n.path("publicKey").asText());
    Instant ts = Instant.parse(n.path("timestamp").asText());
    String sig = ex.getRequestHeaders().getFirst("X-Edgefleet-Signature");
    if (sig == null || !verify(key, body, sig) || Duration.between(ts, Instant.now()).abs().toMinutes() >= 5
        || !deviceId.equals(n.path("registration").path("deviceId").asText())) {
      problem(ex, 401, "device.auth-invalid");
      return true;
    }
    enrolledKeys.add(n.path("publicKey").asText());
    Mode m = mode;
    if (m == Mode.PENDING) {
      problem(ex, 401, "device.auth-pending");
    } else if (m == Mode.REJECT) {
      problem(ex, 403, "device.auth-rejected");
    } else {
      String token = UUID.randomUUID().toString();
      Instant expires = Instant.now().plus(ttl);
      tokens.put(token, new Issued(deviceId, expires));
      send(ex, 200, EventCodec.mapper().writeValueAsBytes(Map.of("deviceId", deviceId, "token", token,
          "expiresAt", expires.toString(), "pollIntervalSeconds", 1)));
    }
    return true;
  }

  /** True when the request carries a live token of {@code deviceId}; otherwise answers 401/403 and returns false. */
  public boolean authorize(HttpExchange ex, String deviceId) throws IOException {
    String h = ex.getRequestHeaders().getFirst("Authorization");
    Issued t = h == null || !h.startsWith("Bearer ") ? null : tokens.get(h.substring(7));
    if (t == null || t.expiresAt().isBefore(Instant.now())) {
      rejectedCalls.add(ex.getRequestURI().getPath());
      problem(ex, 401, "device.token-invalid");
      return false;
    }
    if (!t.deviceId().equals(deviceId)) {
      rejectedCalls.add(ex.getRequestURI().getPath());
      problem(ex, 403, "device.forbidden");
      return false;
    }
    return true;
  }

  private static boolean verify(PublicKey key, byte[] body, String sigB64) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(key);
      s.update(body);
      return s.verify(Base64.getDecoder().decode(sigB64));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  private static void problem(HttpExchange ex, int status, String code) throws IOException {
    byte[] body = ("{\"status\":" + status + ",\"code\":\"" + code + "\"}").getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/problem+json");
    ex.sendResponseHeaders(status, body.length);
    ex.getResponseBody().write(body);
  }

  private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, body.length);
    ex.getResponseBody().write(body);
  }
}
