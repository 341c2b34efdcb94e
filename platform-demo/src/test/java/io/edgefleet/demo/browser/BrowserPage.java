package io.edgefleet.demo.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One browser tab (a DevTools page session) in its own browser context: navigation, JavaScript evaluation, screenshots,
 * and every error the page reports (console errors, uncaught exceptions, failed resource loads).
 */
public final class BrowserPage implements AutoCloseable {

  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

  private final DevToolsConnection connection;
  private final String browserContextId;
  private final String targetId;
  private final String sessionId;
  private final List<String> errors = new ArrayList<>();
  private final List<String> consoleMessages = new ArrayList<>();
  private final DevToolsConnection.EventListener listener = this::onEvent;
  private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();
  private boolean closed;

  BrowserPage(DevToolsConnection connection, String browserContextId, String targetId, String sessionId) {
    this.connection = connection;
    this.browserContextId = browserContextId;
    this.targetId = targetId;
    this.sessionId = sessionId;
  }

  void start(int width, int height) {
    connection.addListener(listener);
    command("Page.enable", connection.params());
    command("Runtime.enable", connection.params());
    command("Log.enable", connection.params());
    setViewport(width, height);
  }

  /** Sets the viewport ({@code Emulation.setDeviceMetricsOverride}, device scale factor 1, desktop). */
  public void setViewport(int width, int height) {
    ObjectNode p = connection.params();
    p.put("width", width);
    p.put("height", height);
    p.put("deviceScaleFactor", 1);
    p.put("mobile", false);
    command("Emulation.setDeviceMetricsOverride", p);
  }

  /** Loads {@code url} and waits for its load event; fails on a network error (refused, DNS, ...). */
  public void navigate(String url, Duration timeout) {
    CompletableFuture<Void> load = new CompletableFuture<>();
    loaded = load;
    ObjectNode p = connection.params();
    p.put("url", url);
    JsonNode r = command("Page.navigate", p);
    if (r.hasNonNull("errorText") && !r.get("errorText").asText().isEmpty()) {
      throw new BrowserException(BrowserException.ErrorCode.PROTOCOL_ERROR,
          "navigation to " + redact(url) + " failed: " + r.get("errorText").asText());
    }
    try {
      load.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new BrowserException(BrowserException.ErrorCode.TIMEOUT, redact(url) + " did not load within " + timeout, e);
    } catch (ExecutionException e) {
      throw new BrowserException(BrowserException.ErrorCode.PROTOCOL_ERROR, "loading " + redact(url) + " failed",
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BrowserException(BrowserException.ErrorCode.PROTOCOL_ERROR, "interrupted loading " + redact(url), e);
    }
  }

  /**
   * Evaluates a JavaScript expression in the page (promises are awaited) and returns its value as JSON ({@code null}
   * node for {@code undefined}); fails with {@link BrowserException.ErrorCode#SCRIPT_ERROR} if it throws.
   */
  public JsonNode evaluate(String expression) {
    ObjectNode p = connection.params();
    p.put("expression", expression);
    p.put("returnByValue", true);
    p.put("awaitPromise", true);
    JsonNode r = command("Runtime.evaluate", p);
    if (r.has("exceptionDetails")) {
      JsonNode d = r.get("exceptionDetails");
      String text = d.path("exception").path("description").asText(d.path("text").asText());
      throw new BrowserException(BrowserException.ErrorCode.SCRIPT_ERROR, text + " in: " + expression);
    }
    JsonNode value = r.path("result").get("value");
    return value == null ? NullNode.getInstance() : value;
  }

  /** A PNG of the whole page, beyond the viewport if it is taller. */
  public byte[] fullPageScreenshot() {
    JsonNode metrics = command("Page.getLayoutMetrics", connection.params());
    JsonNode size = metrics.path("cssContentSize");
    return capture(0, 0, size.path("width").asDouble(), size.path("height").asDouble());
  }

  /** A PNG of the element {@code cssSelector} selects (its border box). */
  public byte[] elementScreenshot(String cssSelector) {
    JsonNode box = evaluate("(() => { const e = document.querySelector(" + jsString(cssSelector) + ");"
        + " if (!e) throw new Error('no element ' + " + jsString(cssSelector) + ");"
        + " const r = e.getBoundingClientRect();"
        + " return { x: r.left + window.scrollX, y: r.top + window.scrollY, w: r.width, h: r.height }; })()");
    return capture(box.path("x").asDouble(), box.path("y").asDouble(), box.path("w").asDouble(),
        box.path("h").asDouble());
  }

  private byte[] capture(double x, double y, double width, double height) {
    ObjectNode clip = connection.params();
    clip.put("x", x);
    clip.put("y", y);
    clip.put("width", Math.ceil(width));
    clip.put("height", Math.ceil(height));
    clip.put("scale", 1);
    ObjectNode p = connection.params();
    p.put("format", "png");
    p.put("captureBeyondViewport", true);
    p.set("clip", clip);
    return Base64.getDecoder().decode(command("Page.captureScreenshot", p).path("data").asText());
  }

  /** Console errors, uncaught exceptions and error log entries (e.g. failed loads) reported so far. */
  public List<String> errors() {
    synchronized (errors) {
      return List.copyOf(errors);
    }
  }

  /** Every console message so far, as {@code level: text}. */
  public List<String> consoleMessages() {
    synchronized (errors) {
      return List.copyOf(consoleMessages);
    }
  }

  private JsonNode command(String method, ObjectNode params) {
    return connection.send(sessionId, method, params, COMMAND_TIMEOUT);
  }

  private void onEvent(String session, String method, JsonNode params) {
    if (!sessionId.equals(session)) {
      return;
    }
    switch (method) {
      case "Page.loadEventFired" -> loaded.complete(null);
      case "Runtime.consoleAPICalled" -> {
        StringBuilder text = new StringBuilder();
        for (JsonNode a : params.path("args")) {
          if (text.length() > 0) {
            text.append(' ');
          }
          text.append(a.has("value") ? a.get("value").asText() : a.path("description").asText(a.path("type").asText()));
        }
        String type = params.path("type").asText();
        synchronized (errors) {
          consoleMessages.add(type + ": " + text);
          if (type.equals("error") || type.equals("assert")) {
            errors.add("console." + type + ": " + text);
          }
        }
      }
      case "Runtime.exceptionThrown" -> {
        JsonNode d = params.path("exceptionDetails");
        String text = d.path("exception").path("description").asText(d.path("text").asText());
        synchronized (errors) {
          errors.add("uncaught: " + text + " at " + d.path("url").asText() + ":" + (d.path("lineNumber").asInt() + 1));
        }
      }
      case "Log.entryAdded" -> {
        JsonNode e = params.path("entry");
        if (e.path("level").asText().equals("error")) {
          synchronized (errors) {
            errors.add("log (" + e.path("source").asText() + "): " + e.path("text").asText() + " "
                + redact(e.path("url").asText("")));
          }
        }
      }
      default -> {
        // other events of the enabled domains are not needed
      }
    }
  }

  /** Closes the tab and disposes of its browser context. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    connection.removeListener(listener);
    ObjectNode t = connection.params();
    t.put("targetId", targetId);
    connection.send("Target.closeTarget", t);
    ObjectNode c = connection.params();
    c.put("browserContextId", browserContextId);
    connection.send("Target.disposeBrowserContext", c);
  }

  /** URLs may carry an access token in their fragment: never print it. */
  private static String redact(String url) {
    int hash = url.indexOf('#');
    return hash < 0 ? url : url.substring(0, hash) + "#…";
  }

  private static String jsString(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
