package io.edgefleet.agent.assignment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefleet.agent.AgentErrorCode;
import io.edgefleet.agent.AgentException;
import io.edgefleet.agent.auth.DeviceKey;
import io.edgefleet.schemas.api.DeviceAssignment;
import io.edgefleet.schemas.api.DeviceRegistered;
import io.edgefleet.schemas.api.DeviceRegistration;
import io.edgefleet.schemas.codec.EventCodec;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The control plane endpoints a device uses: enrolment {@code POST /api/devices/auth} (body signed with the device
 * key), then {@code POST /api/devices} and {@code GET /api/devices/{id}/assignment} with {@code If-None-Match}, both
 * with the device token as {@code Authorization: Bearer}. The token is renewed by enrolling again when it is within
 * {@link #RENEW_BEFORE} of its expiry or when a call answers 401 (then the call is retried once). Thread-safe.
 *
 * <p>Enrolment outcomes: pending → {@link AgentErrorCode#DEVICE_AUTH_PENDING}, rejected →
 * {@link AgentErrorCode#DEVICE_AUTH_REJECTED}.
 *
 * <p>Network failures and 5xx answers raise {@link AgentErrorCode#NETWORK_UNAVAILABLE} /
 * {@link AgentErrorCode#CONTROL_PLANE_ERROR} (both retriable); 4xx answers and unreadable bodies raise
 * {@link AgentErrorCode#CONTROL_PLANE_REJECTED}.
 */
public final class ControlPlaneClient {
  /** A token this close to its expiry is renewed before the next call. */
  public static final Duration RENEW_BEFORE = Duration.ofSeconds(60);
  /** Header carrying the base64 Ed25519 signature of the enrolment body. */
  public static final String SIGNATURE_HEADER = "X-Edgefleet-Signature";

  private final HttpClient http;
  private final URI baseUrl;
  private final Duration timeout;
  private final DeviceKey key;
  private final Clock clock;
  private final ObjectMapper mapper = EventCodec.mapper();
  private DeviceRegistration registration;
  private String token;
  private Instant tokenExpiresAt;

  public ControlPlaneClient(HttpClient http, URI baseUrl, Duration timeout, DeviceKey key, Clock clock) {
    this.http = Objects.requireNonNull(http);
    this.baseUrl = Objects.requireNonNull(baseUrl);
    this.timeout = Objects.requireNonNull(timeout);
    this.key = Objects.requireNonNull(key);
    this.clock = Objects.requireNonNull(clock);
  }

  /** The enrolment answer of the control plane. */
  public record Enrolment(String deviceId, String token, Instant expiresAt, int pollIntervalSeconds) {}

  /**
   * Enrols the device: sends its public key and registration, signed with its key, and keeps the token.
   *
   * @throws AgentException {@link AgentErrorCode#DEVICE_AUTH_PENDING}, {@link AgentErrorCode#DEVICE_AUTH_REJECTED},
   *     or the usual network / control plane codes
   */
  public synchronized Enrolment enrol(DeviceRegistration registration) {
    this.registration = Objects.requireNonNull(registration);
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("deviceId", registration.deviceId());
    request.put("publicKey", key.publicKeyPem());
    request.put("registration", registration);
    request.put("timestamp", clock.instant().toString());
    byte[] body = json(request);
    HttpRequest http =
        HttpRequest.newBuilder(baseUrl.resolve("/api/devices/auth"))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .header(SIGNATURE_HEADER, key.sign(body))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    HttpResponse<byte[]> response = send(http);
    String code = problemCode(response);
    if (response.statusCode() == 401 && "device.auth-pending".equals(code)) {
      throw new AgentException(AgentErrorCode.DEVICE_AUTH_PENDING, "device key " + key.keyId()
          + " is waiting for an admin to accept it");
    }
    if (response.statusCode() == 403 && "device.auth-rejected".equals(code)) {
      throw new AgentException(AgentErrorCode.DEVICE_AUTH_REJECTED, "device key " + key.keyId()
          + " was rejected by an admin");
    }
    if (response.statusCode() != 200) {
      throw failure("enrolment", response);
    }
    Enrolment e = read(response, Enrolment.class, "enrolment response");
    if (e.token() == null || e.expiresAt() == null) {
      throw new AgentException(AgentErrorCode.CONTROL_PLANE_REJECTED, "enrolment response without a token");
    }
    token = e.token();
    tokenExpiresAt = e.expiresAt();
    return e;
  }

  /** Expiry of the current token, or null before the first enrolment. */
  public synchronized Instant tokenExpiresAt() {
    return tokenExpiresAt;
  }

  /** Forgets the token (the next call enrols again). */
  public synchronized void invalidateToken() {
    token = null;
    tokenExpiresAt = null;
  }

  private synchronized String bearer() {
    if (registration == null) {
      throw new IllegalStateException("register() must run before any other call");
    }
    if (token == null || !clock.instant().plus(RENEW_BEFORE).isBefore(tokenExpiresAt)) {
      enrol(registration);
    }
    return "Bearer " + token;
  }

  /** Sends with the device token; on 401 enrols again and retries once. */
  private HttpResponse<byte[]> sendAuthenticated(HttpRequest.Builder request) {
    HttpResponse<byte[]> response = send(request.copy().header("Authorization", bearer()).build());
    if (response.statusCode() == 401) {
      invalidateToken();
      response = send(request.copy().header("Authorization", bearer()).build());
    }
    return response;
  }

  /** Registers (or re-registers) the device, enrolling first when it has no valid token. */
  public DeviceRegistered register(DeviceRegistration registration) {
    synchronized (this) {
      if (this.registration == null || !this.registration.equals(registration)) {
        this.registration = registration;
      }
    }
    byte[] body = json(registration);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(baseUrl.resolve("/api/devices"))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    HttpResponse<byte[]> response = sendAuthenticated(request);
    if (response.statusCode() != 200 && response.statusCode() != 201) {
      throw failure("registration", response);
    }
    return read(response, DeviceRegistered.class, "registration response");
  }

  /**
   * Fetches the device's assignment.
   *
   * @param etag the ETag of the assignment already known (sent as If-None-Match), or null
   */
  public AssignmentPoll fetchAssignment(String deviceId, String etag) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                baseUrl.resolve("/api/devices/" + URLEncoder.encode(deviceId, StandardCharsets.UTF_8) + "/assignment"))
            .timeout(timeout)
            .header("Accept", "application/json")
            .GET();
    if (etag != null) {
      b.header("If-None-Match", etag);
    }
    HttpResponse<byte[]> response = sendAuthenticated(b);
    if (response.statusCode() == 304) {
      return new AssignmentPoll.Unchanged();
    }
    if (response.statusCode() != 200) {
      throw failure("assignment poll", response);
    }
    DeviceAssignment assignment = read(response, DeviceAssignment.class, "assignment");
    return new AssignmentPoll.Changed(assignment, response.headers().firstValue("ETag").orElse(null));
  }

  private byte[] json(Object value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  /** The {@code code} member of a problem+json answer, or null. */
  private String problemCode(HttpResponse<byte[]> response) {
    if (response.statusCode() < 400 || response.body() == null || response.body().length == 0) {
      return null;
    }
    try {
      com.fasterxml.jackson.databind.JsonNode n = mapper.readTree(response.body());
      return n != null && n.hasNonNull("code") ? n.get("code").asText() : null;
    } catch (IOException e) {
      return null;
    }
  }

  private HttpResponse<byte[]> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new AgentException(
          AgentErrorCode.NETWORK_UNAVAILABLE,
          "control plane " + baseUrl + " unreachable (" + request.method() + " " + request.uri().getPath() + "): " + e,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentException(AgentErrorCode.NETWORK_UNAVAILABLE, "interrupted while calling the control plane", e);
    }
  }

  private <T> T read(HttpResponse<byte[]> response, Class<T> type, String what) {
    try {
      return mapper.readValue(response.body(), type);
    } catch (IOException e) {
      throw new AgentException(
          AgentErrorCode.CONTROL_PLANE_REJECTED,
          "unreadable " + what + " (HTTP " + response.statusCode() + "): " + e.getMessage(),
          e);
    }
  }

  private static AgentException failure(String what, HttpResponse<byte[]> response) {
    String body = new String(response.body(), StandardCharsets.UTF_8);
    if (body.length() > 500) {
      body = body.substring(0, 500) + "...";
    }
    String message = what + " answered HTTP " + response.statusCode() + ": " + body;
    if (response.statusCode() >= 500 || response.statusCode() == 429) {
      return new AgentException(AgentErrorCode.CONTROL_PLANE_ERROR, message);
    }
    return new AgentException(AgentErrorCode.CONTROL_PLANE_REJECTED, message);
  }
}
