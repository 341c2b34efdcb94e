package io.edgefleet.demo.browser;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real headless Chromium driven over the DevTools protocol with nothing but the JDK's HTTP client: starts the
 * installed browser (Debian package {@code chromium}) with a throw-away profile and a DevTools port, and opens pages
 * in isolated browser contexts. Nothing is ever downloaded: the browser binary must be installed, and it is started
 * with its background networking (updates, metrics, sync) switched off.
 */
public final class HeadlessChromium implements AutoCloseable {

  /** Where the Debian package installs the browser. */
  public static final Path DEFAULT_BINARY = Path.of("/usr/bin/chromium");
  /** System property naming another browser binary. */
  public static final String BINARY_PROPERTY = "edgefleet.chromium";

  private static final Pattern DEVTOOLS_LINE = Pattern.compile("DevTools listening on (ws://\\S+)");
  private static final int STDERR_TAIL = 40;

  private final Process process;
  private final Path profileDir;
  private final DevToolsConnection connection;
  private final Deque<String> stderrTail;
  private final List<BrowserPage> pages = new ArrayList<>();

  private HeadlessChromium(Process process, Path profileDir, DevToolsConnection connection, Deque<String> stderrTail) {
    this.process = process;
    this.profileDir = profileDir;
    this.connection = connection;
    this.stderrTail = stderrTail;
  }

  /** The binary named by {@value #BINARY_PROPERTY}, else {@link #DEFAULT_BINARY}; fails if it is not installed. */
  public static Path requireInstalled() {
    String configured = System.getProperty(BINARY_PROPERTY);
    Path binary = configured == null || configured.isBlank() ? DEFAULT_BINARY : Path.of(configured);
    if (!Files.isExecutable(binary)) {
      throw new BrowserException(BrowserException.ErrorCode.BROWSER_NOT_INSTALLED, binary + " is not installed or "
          + "not executable: install the Debian packages chromium and chromium-driver (apt-get install chromium "
          + "chromium-driver), or name another binary with -D" + BINARY_PROPERTY + "=<path>");
    }
    return binary;
  }

  /** Starts the browser and connects to it; {@code startTimeout} bounds the wait for its DevTools endpoint. */
  public static HeadlessChromium launch(Path binary, Duration startTimeout) {
    Path profile;
    try {
      profile = Files.createTempDirectory("edgefleet-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the browser's profile directory", e);
    }
    List<String> command = new ArrayList<>(List.of(
        binary.toString(),
        "--headless=new",
        "--remote-debugging-port=0",
        "--remote-debugging-address=127.0.0.1",
        "--user-data-dir=" + profile,
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-default-apps",
        "--disable-domain-reliability",
        "--disable-client-side-phishing-detection",
        "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication",
        "--metrics-recording-only",
        "--no-pings",
        "--password-store=basic",
        "--use-mock-keychain",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--mute-audio",
        "--force-color-profile=srgb",
        "--lang=en-US"));
    if ("root".equals(System.getProperty("user.name"))) {
      command.add("--no-sandbox"); // the browser's sandbox refuses to run as root
    }
    command.add("about:blank");
    Process process;
    try {
      process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      deleteQuietlyOnFailure(profile, e);
      throw new BrowserException(BrowserException.ErrorCode.BROWSER_START_FAILED, "cannot start " + binary, e);
    }
    Deque<String> tail = new ArrayDeque<>();
    CompletableFuture<URI> endpoint = new CompletableFuture<>();
    Thread reader = new Thread(() -> readStderr(process, tail, endpoint), "chromium-stderr");
    reader.setDaemon(true);
    reader.start();
    try {
      URI ws = endpoint.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
      return new HeadlessChromium(process, profile, DevToolsConnection.open(ws, Duration.ofSeconds(60)), tail);
    } catch (TimeoutException | ExecutionException | RuntimeException e) {
      destroy(process);
      deleteQuietlyOnFailure(profile, e);
      throw new BrowserException(BrowserException.ErrorCode.BROWSER_START_FAILED, "the browser did not announce its "
          + "DevTools endpoint within " + startTimeout + "; last stderr lines:\n" + snapshot(tail), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      destroy(process);
      deleteQuietlyOnFailure(profile, e);
      throw new BrowserException(BrowserException.ErrorCode.BROWSER_START_FAILED, "interrupted starting the browser", e);
    }
  }

  /** The browser's product and version, e.g. {@code Chrome/156.0.8078.79} ({@code Browser.getVersion}). */
  public String version() {
    return connection.send("Browser.getVersion", connection.params()).path("product").asText();
  }

  /**
   * Opens a blank page in a new, isolated browser context (its own cookies and storage) with a {@code width} ×
   * {@code height} CSS-pixel viewport.
   */
  public BrowserPage newPage(int width, int height) {
    ObjectNode ctx = connection.params();
    ctx.put("disposeOnDetach", true);
    String contextId = connection.send("Target.createBrowserContext", ctx).path("browserContextId").asText();
    ObjectNode target = connection.params();
    target.put("url", "about:blank");
    target.put("browserContextId", contextId);
    String targetId = connection.send("Target.createTarget", target).path("targetId").asText();
    ObjectNode attach = connection.params();
    attach.put("targetId", targetId);
    attach.put("flatten", true);
    String sessionId = connection.send("Target.attachToTarget", attach).path("sessionId").asText();
    BrowserPage page = new BrowserPage(connection, contextId, targetId, sessionId);
    page.start(width, height);
    pages.add(page);
    return page;
  }

  /** The browser's last stderr lines (for failure messages). */
  public String stderrTail() {
    return snapshot(stderrTail);
  }

  /** Closes the pages, asks the browser to quit, kills it if it does not, and deletes its profile. */
  @Override
  public void close() {
    RuntimeException failure = null;
    for (BrowserPage p : pages) {
      try {
        p.close();
      } catch (RuntimeException e) {
        failure = e;
      }
    }
    pages.clear();
    try {
      connection.send(null, "Browser.close", connection.params(), Duration.ofSeconds(5));
    } catch (BrowserException e) {
      // the browser may drop the connection before it answers Browser.close: it is then already quitting
      if (e.code() != BrowserException.ErrorCode.PROTOCOL_ERROR && failure == null) {
        failure = e;
      }
    }
    connection.close();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        destroy(process);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      destroy(process);
    }
    try {
      deleteTree(profileDir);
    } catch (IOException e) {
      UncheckedIOException io = new UncheckedIOException("cannot delete the browser profile " + profileDir, e);
      if (failure != null) {
        failure.addSuppressed(io);
      } else {
        failure = io;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static void readStderr(Process process, Deque<String> tail, CompletableFuture<URI> endpoint) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        synchronized (tail) {
          tail.addLast(line);
          if (tail.size() > STDERR_TAIL) {
            tail.removeFirst();
          }
        }
        Matcher m = DEVTOOLS_LINE.matcher(line);
        if (m.find()) {
          endpoint.complete(URI.create(m.group(1)));
        }
      }
      endpoint.completeExceptionally(new BrowserException(BrowserException.ErrorCode.BROWSER_START_FAILED,
          "the browser's stderr ended (exit " + exitCode(process) + ")"));
    } catch (IOException e) {
      endpoint.completeExceptionally(e);
    }
  }

  private static String exitCode(Process process) {
    try {
      return process.waitFor(2, TimeUnit.SECONDS) ? String.valueOf(process.exitValue()) : "still running";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  private static String snapshot(Deque<String> tail) {
    synchronized (tail) {
      return String.join("\n", tail);
    }
  }

  private static void destroy(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void deleteQuietlyOnFailure(Path dir, Throwable primary) {
    try {
      deleteTree(dir);
    } catch (IOException e) {
      primary.addSuppressed(e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "HeadlessChromium[pid %d, %d page(s)]", process.pid(), pages.size());
  }
}
