package io.edgefleet.agent.assignment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefleet.agent.AgentErrorCode;
import io.edgefleet.agent.AgentException;
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
import java.time.Duration;
import java.util.Objects;

/**
 * The two control plane endpoints a device uses: {@code POST /api/devices} and
 * {@code GET /api/devices/{id}/assignment} with {@code If-None-Match}. Thread-safe.
 *
 * <p>Network failures and 5xx answers raise {@link AgentErrorCode#NETWORK_UNAVAILABLE} /
 * {@link AgentErrorCode#CONTROL_PLANE_ERROR} (both retriable); 4xx answers and unreadable bodies raise
 * {@link AgentErrorCode#CONTROL_PLANE_REJECTED}.
 */
public final class ControlPlaneClient {
  private final HttpClient http;
  private final URI baseUrl;
  private final Duration timeout;
  private final ObjectMapper mapper = EventCodec.mapper();

  public ControlPlaneClient(HttpClient http, URI baseUrl, Duration timeout) {
    this.http = Objects.requireNonNull(http);
    this.baseUrl = Objects.requireNonNull(baseUrl);
    this.timeout = Objects.requireNonNull(timeout);
  }

  /** Registers (or re-registers) the device. */
  public DeviceRegistered register(DeviceRegistration registration) {
    byte[] body;
    try {
      body = mapper.writeValueAsBytes(registration);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise the registration", e);
    }
    HttpRequest request =
        HttpRequest.newBuilder(baseUrl.resolve("/api/devices"))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    HttpResponse<byte[]> response = send(request);
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
    HttpResponse<byte[]> response = send(b.build());
    if (response.statusCode() == 304) {
      return new AssignmentPoll.Unchanged();
    }
    if (response.statusCode() != 200) {
      throw failure("assignment poll", response);
    }
    DeviceAssignment assignment = read(response, DeviceAssignment.class, "assignment");
    return new AssignmentPoll.Changed(assignment, response.headers().firstValue("ETag").orElse(null));
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
