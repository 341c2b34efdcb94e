package io.edgefleet.agent.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefleet.agent.AgentErrorCode;
import io.edgefleet.agent.AgentException;
import io.edgefleet.agent.testing.FileServer;
import io.edgefleet.schemas.events.BuildKeys;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactDownloaderTest {
  @TempDir Path dir;
  private FileServer server;
  private ArtifactDownloader downloader;
  private byte[] content;
  private String sha;

  @BeforeEach
  void start() throws IOException {
    server = new FileServer();
    downloader = new ArtifactDownloader(HttpClient.newHttpClient(), Duration.ofSeconds(10));
    content = new byte[300_000];
    new Random(7).nextBytes(content);
    sha = BuildKeys.sha256Hex(content);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void shouldResumeWithARangeRequestAfterTheConnectionBreaksMidStream() throws IOException {
    URI url = server.put("/builds/a.tflite", content);
    server.cutAfter("/builds/a.tflite", 100_000, 1);
    Path target = dir.resolve("a.tflite");

    ArtifactDownloader.Downloaded d = downloader.download(url, target, content.length, sha);

    assertThat(Files.readAllBytes(target)).isEqualTo(content);
    assertThat(d.sha256()).isEqualTo(sha);
    assertThat(server.rangeHeaders()).hasSize(2);
    assertThat(server.rangeHeaders().get(0)).isNull();
    assertThat(server.rangeHeaders().get(1)).startsWith("bytes=").endsWith("-");
    long resumedAt = Long.parseLong(server.rangeHeaders().get(1).replaceAll("\\D", ""));
    assertThat(resumedAt).isPositive().isLessThan(content.length);
    assertThat(dir.resolve("a.tflite.part")).doesNotExist();
  }

  @Test
  void shouldResumeFromAPartialFileLeftByAnEarlierRun() throws IOException {
    URI url = server.put("/builds/b.tflite", content);
    Files.write(dir.resolve("b.tflite.part"), Arrays.copyOf(content, 123_456));

    ArtifactDownloader.Downloaded d = downloader.download(url, dir.resolve("b.tflite"), content.length, sha);

    assertThat(d.resumedFromBytes()).isEqualTo(123_456);
    assertThat(server.rangeHeaders()).containsExactly("bytes=123456-");
    assertThat(Files.readAllBytes(d.file())).isEqualTo(content);
  }

  @Test
  void shouldKeepThePartialFileWhenEveryAttemptIsInterrupted() {
    URI url = server.put("/builds/c.tflite", content);
    server.cutAfter("/builds/c.tflite", 50_000, 10);

    assertThatThrownBy(() -> downloader.download(url, dir.resolve("c.tflite"), content.length, sha))
        .isInstanceOf(AgentException.class)
        .satisfies(e -> assertThat(((AgentException) e).code()).isEqualTo(AgentErrorCode.NETWORK_UNAVAILABLE))
        .hasMessageNotContaining("X-Signature");
    assertThat(dir.resolve("c.tflite.part")).exists();
    assertThat(dir.resolve("c.tflite")).doesNotExist();
  }

  @Test
  void shouldRejectAndDeleteTamperedBytes() {
    byte[] tampered = content.clone();
    tampered[1000] ^= 0x01;
    URI url = server.put("/builds/d.tflite", tampered);

    assertThatThrownBy(() -> downloader.download(url, dir.resolve("d.tflite"), content.length, sha))
        .isInstanceOf(AgentException.class)
        .satisfies(e -> assertThat(((AgentException) e).code()).isEqualTo(AgentErrorCode.INTEGRITY_MISMATCH))
        .hasMessageContaining("expected " + sha);
    assertThat(dir.resolve("d.tflite.part")).doesNotExist();
    assertThat(dir.resolve("d.tflite")).doesNotExist();
  }

  @Test
  void shouldRejectAnArtifactLongerThanAnnounced() {
    URI url = server.put("/builds/e.tflite", content);

    assertThatThrownBy(() -> downloader.download(url, dir.resolve("e.tflite"), content.length - 10, sha))
        .isInstanceOf(AgentException.class)
        .satisfies(e -> assertThat(((AgentException) e).code()).isEqualTo(AgentErrorCode.INTEGRITY_MISMATCH));
    assertThat(dir.resolve("e.tflite.part")).doesNotExist();
  }

  @Test
  void shouldReportHttpErrorsAsDownloadFailures() {
    assertThatThrownBy(() -> downloader.download(server.uri("/missing"), dir.resolve("f.tflite"), 10, sha))
        .isInstanceOf(AgentException.class)
        .satisfies(e -> assertThat(((AgentException) e).code()).isEqualTo(AgentErrorCode.DOWNLOAD_FAILED))
        .hasMessageContaining("HTTP 404");
  }
}
