package io.edgefleet.fleetctl.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefleet.fleetctl.FleetctlException;
import io.edgefleet.fleetctl.FleetctlException.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.UUID;

/**
 * A small JSON client for the control plane's operator API ({@code /api/...}).
 *
 * <p>Sends {@code Authorization: Bearer <token>} when a token is configured. Every non-2xx answer becomes a
 * {@link FleetApiException} carrying the RFC 9457 problem; connection failures become {@link ErrorCode#UNREACHABLE}.
 * The client does not retry: every operator call is either a read or an explicit state change the operator asked for.
 */
public final class FleetClient {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final URI base;
  private final String token;
  private final Duration requestTimeout;
  private final HttpClient http;

  /**
   * @param base control-plane base URL, e.g. {@code http://127.0.0.1:8080}
   * @param token bearer token, or null to send none
   * @param requestTimeout how long one request may take (creating a rollout over a large fleet takes a while)
   */
  public FleetClient(URI base, String token, Duration requestTimeout) {
    this.base = Objects.requireNonNull(base, "base");
    this.token = token == null || token.isBlank() ? null : token.strip();
    this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  public URI base() {
    return base;
  }

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** {@code GET path} with query parameters (null values are left out). */
  public JsonNode get(String path, Map<String, ?> query) {
    return send("GET", path + queryString(query), HttpRequest.BodyPublishers.noBody(), null);
  }

  public JsonNode get(String path) {
    return get(path, Map.of());
  }

  /** {@code POST path} with a JSON body (null: no body). */
  public JsonNode post(String path, Object body) {
    if (body == null) {
      return send("POST", path, HttpRequest.BodyPublishers.noBody(), null);
    }
    try {
      byte[] json = MAPPER.writeValueAsBytes(body);
      return send("POST", path, HttpRequest.BodyPublishers.ofByteArray(json), "application/json");
    } catch (JsonProcessingException e) {
      throw new FleetctlException(ErrorCode.INVALID_ARGUMENT, "cannot encode the request body: " + e.getMessage(), e);
    }
  }

  /** One part of a multipart/form-data body: a text field when {@code filename} is null, else a file. */
  public record Part(String name, String filename, String contentType, byte[] content) {
    public Part {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(content, "content");
    }

    public static Part field(String name, String value) {
      return new Part(name, null, "text/plain; charset=UTF-8", value.getBytes(StandardCharsets.UTF_8));
    }

    public static Part file(String name, String filename, byte[] content) {
      return new Part(name, filename, "application/octet-stream", content);
    }
  }

  /** {@code POST path} as multipart/form-data. */
  public JsonNode postMultipart(String path, List<Part> parts) {
    String boundary = "fleetctl-" + UUID.randomUUID();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Part p : parts) {
      StringBuilder head = new StringBuilder("--").append(boundary).append("\r\n")
          .append("Content-Disposition: form-data; name=\"").append(p.name()).append('"');
      if (p.filename() != null) {
        head.append("; filename=\"").append(p.filename().replace("\"", "")).append('"');
      }
      head.append("\r\nContent-Type: ").append(p.contentType()).append("\r\n\r\n");
      out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
      out.writeBytes(p.content());
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return send("POST", path, HttpRequest.BodyPublishers.ofByteArray(out.toByteArray()),
        "multipart/form-data; boundary=" + boundary);
  }

  private JsonNode send(String method, String pathAndQuery, HttpRequest.BodyPublisher body, String contentType) {
    URI uri = base.resolve(pathAndQuery);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .timeout(requestTimeout)
        .header("Accept", "application/json, application/problem+json")
        .method(method, body);
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpConnectTimeoutException | ConnectException e) {
      throw new FleetctlException(ErrorCode.UNREACHABLE, "cannot connect to the control plane at " + base
          + " (" + e.getClass().getSimpleName() + "); check --url / EDGEFLEET_URL", e);
    } catch (HttpTimeoutException e) {
      throw new FleetctlException(ErrorCode.TIMEOUT, method + " " + pathAndQuery + " got no answer within "
          + requestTimeout + "; raise --timeout", e);
    } catch (IOException e) {
      throw new FleetctlException(ErrorCode.UNREACHABLE, method + " " + pathAndQuery + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FleetctlException(ErrorCode.UNREACHABLE, method + " " + pathAndQuery + " was interrupted", e);
    }
    String raw = new String(response.body(), StandardCharsets.UTF_8);
    JsonNode json = parse(raw);
    if (response.statusCode() / 100 != 2) {
      throw new FleetApiException(method, pathAndQuery, ApiProblem.from(response.statusCode(), json, raw));
    }
    if (raw.isBlank()) {
      return MAPPER.nullNode();
    }
    if (json == null) {
      throw new FleetctlException(ErrorCode.SERVER_ERROR, method + " " + pathAndQuery
          + " answered HTTP " + response.statusCode() + " with a body that is not JSON");
    }
    return json;
  }

  private static JsonNode parse(String raw) {
    if (raw.isBlank()) {
      return null;
    }
    try {
      return MAPPER.readTree(raw);
    } catch (JsonProcessingException e) {
      return null; // the caller reports the raw text: not JSON is itself the finding
    }
  }

  /** {@code ?a=1&b=x%20y} from the non-null entries, in insertion order; repeated for list values. */
  public static String queryString(Map<String, ?> query) {
    StringJoiner joiner = new StringJoiner("&", "?", "");
    joiner.setEmptyValue("");
    for (Map.Entry<String, ?> e : new LinkedHashMap<>(query).entrySet()) {
      if (e.getValue() == null) {
        continue;
      }
      Iterable<?> values = e.getValue() instanceof Iterable<?> it ? it : List.of(e.getValue());
      for (Object v : values) {
        joiner.add(encode(e.getKey()) + "=" + encode(String.valueOf(v)));
      }
    }
    return joiner.toString();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
