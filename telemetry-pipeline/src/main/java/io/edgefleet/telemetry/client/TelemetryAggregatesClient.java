package io.edgefleet.telemetry.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.telemetry.TelemetryErrorCode;
import io.edgefleet.telemetry.TelemetryPipelineException;
import io.edgefleet.telemetry.api.BuildAggregates;
import io.edgefleet.telemetry.api.BuildWindows;
import io.edgefleet.telemetry.api.DeviceAggregates;
import io.edgefleet.telemetry.api.HealthStatus;
import io.edgefleet.telemetry.api.ProblemDetail;
import io.edgefleet.telemetry.api.RolloutAggregates;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Java client of the telemetry pipeline's HTTP API (for the control plane's rollout gates, dashboard and summary).
 * Thread-safe. 404 answers map to {@link Optional#empty()}; every other failure raises
 * {@link TelemetryPipelineException} with {@link TelemetryErrorCode#CLIENT_FAILED} (or the server's code for 503).
 */
public final class TelemetryAggregatesClient {
  private final URI baseUri;
  private final HttpClient http;
  private final Duration timeout;
  private final ObjectMapper mapper = EventCodec.mapper();

  /**
   * @param baseUri e.g. {@code http://telemetry-pipeline:8095}
   * @param timeout per-request timeout
   */
  public TelemetryAggregatesClient(URI baseUri, Duration timeout) {
    this(baseUri, HttpClient.newBuilder().connectTimeout(timeout).build(), timeout);
  }

  public TelemetryAggregatesClient(URI baseUri, HttpClient http, Duration timeout) {
    String s = Objects.requireNonNull(baseUri, "baseUri").toString();
    this.baseUri = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    this.http = Objects.requireNonNull(http, "http");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /** {@code GET /aggregates/builds}: every build with all-time totals. */
  public List<BuildAggregates> builds() {
    return get("/aggregates/builds", new TypeReference<List<BuildAggregates>>() {}).orElse(List.of());
  }

  /** {@code GET /aggregates/builds/{buildKey}}; empty if the build has no telemetry. */
  public Optional<BuildAggregates> build(String buildKey) {
    return get("/aggregates/builds/" + segment(buildKey), new TypeReference<BuildAggregates>() {});
  }

  /**
   * {@code GET /aggregates/builds/{buildKey}/windows}; windows starting in [from, to].
   *
   * @param hardwareClass null for all classes merged
   */
  public BuildWindows buildWindows(String buildKey, String hardwareClass, Instant from, Instant to) {
    String path = "/aggregates/builds/" + segment(buildKey) + "/windows?from=" + param(from.toString()) + "&to="
        + param(to.toString()) + (hardwareClass == null ? "" : "&hardwareClass=" + param(hardwareClass));
    return get(path, new TypeReference<BuildWindows>() {})
        .orElseThrow(() -> new TelemetryPipelineException(TelemetryErrorCode.CLIENT_FAILED, "404 from " + path));
  }

  /** {@code GET /aggregates/rollouts/{rolloutId}}; empty if the rollout has no window in [from, to]. */
  public Optional<RolloutAggregates> rollout(String rolloutId, Instant from, Instant to) {
    return get("/aggregates/rollouts/" + segment(rolloutId) + "?from=" + param(from.toString()) + "&to="
        + param(to.toString()), new TypeReference<RolloutAggregates>() {});
  }

  /** {@code GET /aggregates/devices/{deviceId}}; empty if the device has no window in [from, to]. */
  public Optional<DeviceAggregates> device(String deviceId, Instant from, Instant to) {
    return get("/aggregates/devices/" + segment(deviceId) + "?from=" + param(from.toString()) + "&to="
        + param(to.toString()), new TypeReference<DeviceAggregates>() {});
  }

  /** {@code GET /health}: true when the pipeline's stream is RUNNING. */
  public boolean isHealthy() {
    HttpResponse<byte[]> r = send("/health");
    if (r.statusCode() != 200 && r.statusCode() != 503) {
      throw failure("/health", r);
    }
    return read(r.body(), new TypeReference<HealthStatus>() {}, "/health").status().equals("UP");
  }

  private <T> Optional<T> get(String path, TypeReference<T> type) {
    HttpResponse<byte[]> r = send(path);
    if (r.statusCode() == 404) {
      return Optional.empty();
    }
    if (r.statusCode() != 200) {
      throw failure(path, r);
    }
    return Optional.of(read(r.body(), type, path));
  }

  private HttpResponse<byte[]> send(String path) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUri + path)).timeout(timeout)
        .header("Accept", "application/json").GET().build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new TelemetryPipelineException(TelemetryErrorCode.CLIENT_FAILED, "GET " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TelemetryPipelineException(TelemetryErrorCode.CLIENT_FAILED, "interrupted during GET " + path, e);
    }
  }

  private <T> T read(byte[] body, TypeReference<T> type, String path) {
    try {
      return mapper.readValue(body, type);
    } catch (IOException e) {
      throw new TelemetryPipelineException(TelemetryErrorCode.CLIENT_FAILED, "unreadable answer of " + path + ": " + e,
          e);
    }
  }

  private TelemetryPipelineException failure(String path, HttpResponse<byte[]> r) {
    String detail = new String(r.body(), StandardCharsets.UTF_8);
    TelemetryErrorCode code = TelemetryErrorCode.CLIENT_FAILED;
    try {
      ProblemDetail p = mapper.readValue(r.body(), ProblemDetail.class);
      detail = p.code() + ": " + p.detail();
      if (TelemetryErrorCode.STORE_UNAVAILABLE.key().equals(p.code())) {
        code = TelemetryErrorCode.STORE_UNAVAILABLE;
      }
    } catch (IOException e) {
      detail = "(not problem+json) " + detail;
    }
    return new TelemetryPipelineException(code, "GET " + path + " answered " + r.statusCode() + ": " + detail);
  }

  private static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String param(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
