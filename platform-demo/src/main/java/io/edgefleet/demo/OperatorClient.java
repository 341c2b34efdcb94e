package io.edgefleet.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefleet.schemas.codec.EventCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/** What an operator does through the control plane's REST API, as a small typed client. */
public final class OperatorClient {

  private final URI base;
  private final Supplier<String> token;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = EventCodec.mapper();

  /** A client without credentials: only the open endpoints ({@code /q/health}) answer it. */
  public OperatorClient(URI base) {
    this(base, null);
  }

  /** A client sending {@code Authorization: Bearer <token.get()>} (a fresh operator access token) on every call. */
  public OperatorClient(URI base, Supplier<String> token) {
    this.base = base;
    this.token = token;
  }

  /** A file part of a multipart upload. */
  public record FilePart(String filename, String contentType, byte[] content) {}

  /** {@code POST /api/models}: uploads a float model with its calibration and evaluation sets. */
  public JsonNode uploadModel(String name, byte[] model, byte[] calibration, byte[] eval) throws IOException, InterruptedException {
    Map<String, Object> parts = new LinkedHashMap<>();
    parts.put("name", name);
    parts.put("model", new FilePart(name + ".tflite", "application/octet-stream", model));
    parts.put("calibration", new FilePart("calibration.efs", "application/octet-stream", calibration));
    parts.put("eval", new FilePart("eval.efs", "application/octet-stream", eval));
    String boundary = "edgefleet-" + UUID.randomUUID();
    HttpRequest req =
        HttpRequest.newBuilder(base.resolve("/api/models"))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(boundary, parts)))
            .build();
    return send(req, 201);
  }

  /** {@code POST /api/rollouts}. */
  public JsonNode createRollout(Map<String, Object> body) throws IOException, InterruptedException {
    HttpRequest req =
        HttpRequest.newBuilder(base.resolve("/api/rollouts"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
            .build();
    return send(req, 201);
  }

  /** {@code GET /api/devices/auth?status=...&size=500}: auth sets of one status (admin). */
  public JsonNode authSets(String status) throws IOException, InterruptedException {
    return get("/api/devices/auth?size=500&status=" + status);
  }

  /** {@code POST /api/devices/{id}/auth/{authId}/accept} (admin). */
  public JsonNode acceptAuthSet(String deviceId, String authSetId) throws IOException, InterruptedException {
    HttpRequest req =
        HttpRequest.newBuilder(base.resolve("/api/devices/" + deviceId + "/auth/" + authSetId + "/accept"))
            .timeout(Duration.ofSeconds(30))
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    return send(req, 200);
  }

  /** {@code POST /api/devices/preauthorized} with [{deviceId, publicKey}] (admin). */
  public JsonNode preauthorize(List<Map<String, String>> entries) throws IOException, InterruptedException {
    HttpRequest req =
        HttpRequest.newBuilder(base.resolve("/api/devices/preauthorized"))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(entries)))
            .build();
    return send(req, 200);
  }

  /** {@code GET path}, expecting 200. */
  public JsonNode get(String path) throws IOException, InterruptedException {
    HttpRequest req =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).header("Accept", "application/json").GET().build();
    return send(req, 200);
  }

  /** Status code of {@code GET path}, with this client's token if it has one (0 when the server is not reachable). */
  public int status(String path) {
    try {
      HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5)).GET();
      if (token != null) {
        builder.header("Authorization", "Bearer " + token.get());
      }
      HttpRequest req = builder.build();
      return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private JsonNode send(HttpRequest req, int expected) throws IOException, InterruptedException {
    if (token != null) {
      req = HttpRequest.newBuilder(req, (name, value) -> true).header("Authorization", "Bearer " + token.get()).build();
    }
    HttpResponse<byte[]> resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
    if (resp.statusCode() != expected) {
      throw new IOException(
          req.method() + " " + req.uri() + " answered " + resp.statusCode() + ": "
              + new String(resp.body(), StandardCharsets.UTF_8));
    }
    return json.readTree(resp.body());
  }

  private static byte[] multipart(String boundary, Map<String, Object> parts) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Map.Entry<String, Object> e : parts.entrySet()) {
      out.write(("--" + boundary + "\r\n").getBytes(StandardCharsets.UTF_8));
      if (e.getValue() instanceof FilePart f) {
        out.write(("Content-Disposition: form-data; name=\"" + e.getKey() + "\"; filename=\"" + f.filename() + "\"\r\n"
                + "Content-Type: " + f.contentType() + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.write(f.content());
      } else {
        out.write(("Content-Disposition: form-data; name=\"" + e.getKey() + "\"\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.write(String.valueOf(e.getValue()).getBytes(StandardCharsets.UTF_8));
      }
      out.write("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }
}
