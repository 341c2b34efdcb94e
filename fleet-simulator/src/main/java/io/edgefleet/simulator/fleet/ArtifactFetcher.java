package io.edgefleet.simulator.fleet;

import io.edgefleet.schemas.events.BuildKeys;
import io.edgefleet.simulator.SimulatorErrorCode;
import io.edgefleet.simulator.SimulatorException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** Downloads presigned URLs the way a device does (no storage credentials) and checks size and sha256. */
public final class ArtifactFetcher {
  private final HttpClient http;
  private final Duration timeout;

  public ArtifactFetcher(HttpClient http, Duration timeout) {
    this.http = Objects.requireNonNull(http);
    this.timeout = Objects.requireNonNull(timeout);
  }

  /** GETs {@code url}; completes with the body, or exceptionally with a {@link SimulatorException}. */
  public CompletableFuture<byte[]> get(String url) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).handle((r, e) -> {
      if (e != null) {
        throw new SimulatorException(SimulatorErrorCode.DOWNLOAD_FAILED, "download failed: " + e, e);
      }
      if (r.statusCode() != 200) {
        // the query string of a presigned URL is a credential: log the path only
        throw new SimulatorException(SimulatorErrorCode.DOWNLOAD_FAILED,
            "GET " + request.uri().getPath() + " answered HTTP " + r.statusCode());
      }
      return r.body();
    });
  }

  /** GETs the artifact and checks that it has {@code sizeBytes} bytes and sha256 {@code sha256Hex}. */
  public CompletableFuture<byte[]> getVerified(String url, String sha256Hex, long sizeBytes) {
    return get(url).thenApply(body -> {
      verify(body, sha256Hex, sizeBytes);
      return body;
    });
  }

  /** Throws {@link SimulatorErrorCode#ARTIFACT_MISMATCH} unless {@code body} has the announced size and digest. */
  public static void verify(byte[] body, String sha256Hex, long sizeBytes) {
    if (body.length != sizeBytes) {
      throw new SimulatorException(SimulatorErrorCode.ARTIFACT_MISMATCH,
          "artifact has " + body.length + " bytes, expected " + sizeBytes);
    }
    String actual = BuildKeys.sha256Hex(body);
    if (!actual.equalsIgnoreCase(sha256Hex)) {
      throw new SimulatorException(SimulatorErrorCode.ARTIFACT_MISMATCH,
          "artifact sha256 " + actual + " differs from the announced " + sha256Hex);
    }
  }
}
