package io.edgefleet.simulator.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.edgefleet.schemas.events.BuildKeys;
import io.edgefleet.simulator.SimulatorErrorCode;
import io.edgefleet.simulator.SimulatorException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ArtifactFetcherTest {
  private static final byte[] ARTIFACT = "a quantized model".getBytes(StandardCharsets.UTF_8);

  private HttpServer server;
  private String url;
  private final ArtifactFetcher fetcher = new ArtifactFetcher(HttpClient.newHttpClient(), Duration.ofSeconds(5));

  @BeforeEach
  void startServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/builds/a.tflite", ex -> {
      ex.sendResponseHeaders(200, ARTIFACT.length);
      ex.getResponseBody().write(ARTIFACT);
      ex.close();
    });
    server.createContext("/expired", ex -> {
      ex.sendResponseHeaders(403, -1);
      ex.close();
    });
    server.start();
    url = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  @Test
  void shouldAcceptAnArtifactWithTheAnnouncedDigestAndSize() {
    byte[] body = fetcher.getVerified(url + "/builds/a.tflite?X-Amz-Signature=s", BuildKeys.sha256Hex(ARTIFACT), ARTIFACT.length).join();
    assertThat(body).isEqualTo(ARTIFACT);
  }

  @Test
  void shouldRejectAnArtifactWithAnotherDigest() {
    String wrong = BuildKeys.sha256Hex("something else".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> fetcher.getVerified(url + "/builds/a.tflite", wrong, ARTIFACT.length).join())
        .isInstanceOf(CompletionException.class)
        .cause().isInstanceOfSatisfying(SimulatorException.class,
            e -> assertThat(e.code()).isEqualTo(SimulatorErrorCode.ARTIFACT_MISMATCH));
  }

  @Test
  void shouldRejectAnArtifactWithAnotherSize() {
    assertThatThrownBy(() -> ArtifactFetcher.verify(ARTIFACT, BuildKeys.sha256Hex(ARTIFACT), ARTIFACT.length + 1))
        .isInstanceOfSatisfying(SimulatorException.class, e -> assertThat(e.code()).isEqualTo(SimulatorErrorCode.ARTIFACT_MISMATCH));
  }

  @Test
  void shouldReportAFailedDownloadWithoutTheQueryString() {
    assertThatThrownBy(() -> fetcher.get(url + "/expired?X-Amz-Signature=secret").join())
        .cause().isInstanceOfSatisfying(SimulatorException.class, e -> {
          assertThat(e.code()).isEqualTo(SimulatorErrorCode.DOWNLOAD_FAILED);
          assertThat(e.getMessage()).contains("403").doesNotContain("secret");
        });
  }
}
