package io.edgefleet.agent.download;

import io.edgefleet.agent.AgentErrorCode;
import io.edgefleet.agent.AgentException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads an artifact through a presigned URL into {@code <file>.part}, resuming with an HTTP {@code Range}
 * request when a partial file exists, hashing (sha256) and counting while streaming. Only a file whose size and
 * sha256 match the expected values is renamed to its final name; a too-long or mismatching download is deleted, an
 * interrupted one is kept for the next resume.
 */
public final class ArtifactDownloader {
  /** Immediate resume attempts within one {@link #download} call after a connection breaks mid-stream. */
  static final int RESUME_ATTEMPTS = 3;

  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
  private static final int CHUNK = 64 * 1024;

  private final HttpClient http;
  private final Duration timeout;

  public ArtifactDownloader(HttpClient http, Duration timeout) {
    this.http = Objects.requireNonNull(http);
    this.timeout = Objects.requireNonNull(timeout);
  }

  /** Outcome of a verified download. */
  public record Downloaded(Path file, long sizeBytes, String sha256, long resumedFromBytes) {}

  /**
   * Downloads (or resumes) {@code url} to {@code target}.
   *
   * @param target the final file; the partial download lives beside it as {@code <target>.part}
   * @return the verified file
   * @throws AgentException {@link AgentErrorCode#INTEGRITY_MISMATCH} (size or sha256 wrong; partial file deleted),
   *     {@link AgentErrorCode#NETWORK_UNAVAILABLE} (interrupted; partial file kept) or
   *     {@link AgentErrorCode#DOWNLOAD_FAILED} (HTTP error status)
   */
  public Downloaded download(URI url, Path target, long expectedSize, String expectedSha256) {
    if (expectedSize < 0) {
      throw new AgentException(AgentErrorCode.DOWNLOAD_FAILED, "negative expected size " + expectedSize);
    }
    String expected = expectedSha256 == null ? null : expectedSha256.toLowerCase(Locale.ROOT);
    Path part = target.resolveSibling(target.getFileName() + ".part");
    try {
      Files.createDirectories(target.toAbsolutePath().getParent());
      if (Files.exists(target)) {
        // a verified earlier download of the same content-addressed artifact
        String sha = sha256(target);
        if (Files.size(target) == expectedSize && sha.equals(expected)) {
          return new Downloaded(target, expectedSize, sha, expectedSize);
        }
        Files.delete(target);
      }
    } catch (IOException e) {
      throw new AgentException(AgentErrorCode.DOWNLOAD_FAILED, "cannot prepare " + target + ": " + e, e);
    }
    long resumedFrom = -1;
    AgentException last = null;
    for (int attempt = 1; attempt <= RESUME_ATTEMPTS; attempt++) {
      try {
        long have = transfer(url, part, expectedSize, attempt);
        if (resumedFrom < 0) {
          resumedFrom = have;
        }
        return finish(part, target, expectedSize, expected, resumedFrom);
      } catch (InterruptedDownload e) {
        if (resumedFrom < 0) {
          resumedFrom = e.startedAt;
        }
        last = new AgentException(
            AgentErrorCode.NETWORK_UNAVAILABLE,
            "download of " + redact(url) + " interrupted at " + e.reached + " of " + expectedSize + " bytes: " + e.getCause(),
            e.getCause());
      }
    }
    throw last;
  }

  /** Streams the missing bytes into {@code part}; returns the number of bytes that were already there. */
  private long transfer(URI url, Path part, long expectedSize, int attempt) throws InterruptedDownload {
    long have;
    try {
      have = Files.exists(part) ? Files.size(part) : 0;
      if (have > expectedSize) {
        Files.delete(part);
        have = 0;
      }
    } catch (IOException e) {
      throw new AgentException(AgentErrorCode.DOWNLOAD_FAILED, "cannot inspect " + part + ": " + e, e);
    }
    if (have == expectedSize && expectedSize > 0) {
      return have;
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout).GET();
    if (have > 0) {
      request.header("Range", "bytes=" + have + "-");
    }
    HttpResponse<InputStream> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new InterruptedDownload(have, have, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentException(AgentErrorCode.NETWORK_UNAVAILABLE, "interrupted while downloading", e);
    }
    int status = response.statusCode();
    try (InputStream body = response.body()) {
      boolean append;
      if (status == 206 && have > 0) {
        long start = contentRangeStart(response);
        if (start != have) {
          throw new AgentException(
              AgentErrorCode.DOWNLOAD_FAILED, "server resumed at byte " + start + " but " + have + " were requested");
        }
        append = true;
      } else if (status == 200) {
        append = false; // the server ignored the range: start over
        have = 0;
      } else if (status == 416) {
        Files.deleteIfExists(part);
        throw new AgentException(
            AgentErrorCode.DOWNLOAD_FAILED, "range " + have + "- not satisfiable for " + redact(url) + "; restarting next time");
      } else {
        throw new AgentException(
            AgentErrorCode.DOWNLOAD_FAILED, "download of " + redact(url) + " answered HTTP " + status + " (attempt " + attempt + ")");
      }
      try (FileChannel out =
          append
              ? FileChannel.open(part, StandardOpenOption.WRITE, StandardOpenOption.APPEND)
              : FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        byte[] buf = new byte[CHUNK];
        long written = have;
        try {
          int n;
          while ((n = body.read(buf)) > 0) {
            if (written + n > expectedSize) {
              out.close();
              Files.deleteIfExists(part);
              throw new AgentException(
                  AgentErrorCode.INTEGRITY_MISMATCH,
                  "artifact is larger than the expected " + expectedSize + " bytes; partial download deleted");
            }
            ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
            while (bb.hasRemaining()) {
              out.write(bb);
            }
            written += n;
          }
        } catch (IOException e) {
          out.force(true);
          throw new InterruptedDownload(have, written, e);
        }
        out.force(true);
        if (written < expectedSize) {
          throw new InterruptedDownload(
              have, written, new IOException("stream ended after " + written + " of " + expectedSize + " bytes"));
        }
      }
    } catch (IOException e) {
      throw new AgentException(AgentErrorCode.DOWNLOAD_FAILED, "cannot write " + part + ": " + e, e);
    }
    return have;
  }

  private static Downloaded finish(Path part, Path target, long expectedSize, String expectedSha, long resumedFrom) {
    try {
      long size = Files.size(part);
      String sha = sha256(part);
      if (size != expectedSize || !sha.equals(expectedSha)) {
        Files.deleteIfExists(part);
        throw new AgentException(
            AgentErrorCode.INTEGRITY_MISMATCH,
            "downloaded artifact has sha256 " + sha + " and " + size + " bytes, expected " + expectedSha + " and "
                + expectedSize + "; partial download deleted");
      }
      Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return new Downloaded(target, size, sha, resumedFrom);
    } catch (IOException e) {
      throw new AgentException(AgentErrorCode.DOWNLOAD_FAILED, "cannot verify " + part + ": " + e, e);
    }
  }

  /**
   * Fetches a small resource (evaluation samples, reference outputs) into memory.
   *
   * @throws AgentException {@link AgentErrorCode#DOWNLOAD_FAILED} beyond {@code maxBytes} or on an HTTP error,
   *     {@link AgentErrorCode#NETWORK_UNAVAILABLE} when unreachable
   */
  public byte[] fetch(URI url, long maxBytes) {
    HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).GET().build();
    try {
      HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        if (response.statusCode() != 200) {
          throw new AgentException(
              AgentErrorCode.DOWNLOAD_FAILED, "GET " + redact(url) + " answered HTTP " + response.statusCode());
        }
        byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (bytes.length > maxBytes) {
          throw new AgentException(AgentErrorCode.DOWNLOAD_FAILED, redact(url) + " is larger than " + maxBytes + " bytes");
        }
        return bytes;
      }
    } catch (IOException e) {
      throw new AgentException(AgentErrorCode.NETWORK_UNAVAILABLE, "GET " + redact(url) + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentException(AgentErrorCode.NETWORK_UNAVAILABLE, "interrupted while downloading", e);
    }
  }

  /** Lower-case hex sha256 of a file. */
  public static String sha256(Path file) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[CHUNK];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static long contentRangeStart(HttpResponse<?> response) {
    String header = response.headers().firstValue("Content-Range").orElse("");
    Matcher m = CONTENT_RANGE.matcher(header.trim());
    if (!m.matches()) {
      throw new AgentException(AgentErrorCode.DOWNLOAD_FAILED, "206 answer without a valid Content-Range: '" + header + "'");
    }
    return Long.parseLong(m.group(1));
  }

  /** The URL without its query string: presigned URLs carry credentials-like signatures that must not be logged. */
  static String redact(URI url) {
    return url.getScheme() + "://" + url.getRawAuthority() + url.getRawPath();
  }

  /** A broken connection; the partial file is kept and the caller resumes. */
  private static final class InterruptedDownload extends Exception {
    private static final long serialVersionUID = 1L;
    final long startedAt;
    final long reached;

    InterruptedDownload(long startedAt, long reached, IOException cause) {
      super(cause);
      this.startedAt = startedAt;
      this.reached = reached;
    }
  }
}
