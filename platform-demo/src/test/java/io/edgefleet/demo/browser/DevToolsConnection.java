package io.edgefleet.demo.browser;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One WebSocket to the browser's DevTools endpoint, speaking the Chrome DevTools Protocol: numbered commands with
 * their answers, and events (with the session id of the page they come from, flat session mode).
 */
final class DevToolsConnection implements AutoCloseable {

  /** Receives every protocol event; called on the WebSocket's thread, so it must be quick. */
  interface EventListener {
    void onEvent(String sessionId, String method, JsonNode params);
  }

  private final ObjectMapper json = new ObjectMapper();
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final CopyOnWriteArrayList<EventListener> listeners = new CopyOnWriteArrayList<>();
  private final Duration commandTimeout;
  private final WebSocket socket;
  private volatile Throwable broken;

  private DevToolsConnection(URI endpoint, Duration commandTimeout) {
    this.commandTimeout = commandTimeout;
    try {
      this.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
          .buildAsync(endpoint, new Receiver()).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new BrowserException(BrowserException.ErrorCode.PROTOCOL_ERROR, "cannot connect to " + endpoint, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BrowserException(BrowserException.ErrorCode.PROTOCOL_ERROR, "interrupted connecting to " + endpoint, e);
    }
  }

  static DevToolsConnection open(URI endpoint, Duration commandTimeout) {
    return new DevToolsConnection(endpoint, commandTimeout);
  }

  void addListener(EventListener listener) {
    listeners.add(listener);
  }

  void removeListener(EventListener listener) {
    listeners.remove(listener);
  }

  ObjectNode params() {
    return json.createObjectNode();
  }

  /** Sends a browser-level command and waits for its result. */
  JsonNode send(String method, ObjectNode params) {
    return send(null, method, params, commandTimeout);
  }

  /** Sends a command to a page session ({@code sessionId} null = the browser) and waits for its result. */
  JsonNode send(String sessionId, String method, ObjectNode params, Duration timeout) {
    if (broken != null) {
      throw new BrowserException(BrowserException.ErrorCode.PROTOCOL_ERROR, "the DevTools connection is closed", broken);
    }
    long id = ids.incrementAndGet();
    ObjectNode message = json.createObjectNode();
    message.put("id", id);
    message.put("method", method);
    message.set("params", params == null ? json.createObjectNode() : params);
    if (sessionId != null) {
      message.put("sessionId", sessionId);
    }
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    try {
      String text = json.writeValueAsString(message);
      synchronized (socket) {
        // one message at a time: the WebSocket does not accept a send while another one is outstanding
        socket.sendText(text, true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
      return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (JsonProcessingException e) {
      throw new BrowserException(BrowserException.ErrorCode.PROTOCOL_ERROR, "cannot encode " + method, e);
    } catch (TimeoutException e) {
      throw new BrowserException(BrowserException.ErrorCode.TIMEOUT, method + " got no answer within " + timeout, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof BrowserException b) {
        throw new BrowserException(b.code(), b.getMessage(), b);
      }
      throw new BrowserException(BrowserException.ErrorCode.PROTOCOL_ERROR, method + " failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BrowserException(BrowserException.ErrorCode.PROTOCOL_ERROR, "interrupted waiting for " + method, e);
    } finally {
      pending.remove(id);
    }
  }

  private void dispatch(String text) {
    JsonNode message;
    try {
      message = json.readTree(text);
    } catch (JsonProcessingException e) {
      fail(new BrowserException(BrowserException.ErrorCode.PROTOCOL_ERROR, "undecodable DevTools message", e));
      return;
    }
    if (message.has("id")) {
      CompletableFuture<JsonNode> answer = pending.get(message.get("id").asLong());
      if (answer == null) {
        return; // the caller gave up waiting (timeout): nobody to tell
      }
      JsonNode error = message.get("error");
      if (error != null) {
        answer.completeExceptionally(new BrowserException(BrowserException.ErrorCode.PROTOCOL_ERROR,
            error.path("message").asText() + " (" + error.path("code").asInt() + ") " + error.path("data").asText("")));
      } else {
        answer.complete(message.path("result"));
      }
      return;
    }
    String sessionId = message.hasNonNull("sessionId") ? message.get("sessionId").asText() : null;
    String method = message.path("method").asText();
    for (EventListener l : listeners) {
      l.onEvent(sessionId, method, message.path("params"));
    }
  }

  private void fail(Throwable cause) {
    broken = cause;
    pending.values().forEach(f -> f.completeExceptionally(cause));
  }

  @Override
  public void close() {
    if (broken == null) {
      broken = new BrowserException(BrowserException.ErrorCode.PROTOCOL_ERROR, "closed by the client");
    }
    socket.abort();
  }

  private final class Receiver implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        dispatch(text);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      fail(new BrowserException(BrowserException.ErrorCode.PROTOCOL_ERROR,
          "the browser closed the DevTools connection (" + statusCode + " " + reason + ")"));
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      fail(new BrowserException(BrowserException.ErrorCode.PROTOCOL_ERROR, "DevTools connection failed", error));
    }
  }
}
