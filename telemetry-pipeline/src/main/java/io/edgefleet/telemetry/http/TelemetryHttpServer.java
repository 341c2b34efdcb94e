package io.edgefleet.telemetry.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.telemetry.TelemetryErrorCode;
import io.edgefleet.telemetry.TelemetryPipelineException;
import io.edgefleet.telemetry.api.HealthStatus;
import io.edgefleet.telemetry.api.ProblemDetail;
import io.edgefleet.telemetry.metrics.PipelineMetrics;
import io.edgefleet.telemetry.metrics.PrometheusFormat;
import io.edgefleet.telemetry.query.TelemetryQueryService;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The pipeline's HTTP API (JDK HTTP server, JSON via Jackson, errors as RFC 9457 problem+json):
 *
 * <pre>
 * GET /aggregates/builds                                   all builds, all-time totals + per class
 * GET /aggregates/builds/{buildKey}                        all-time totals + per hardware class
 * GET /aggregates/builds/{buildKey}/windows?from=&amp;to=&amp;hardwareClass=   time series (ISO-8601 instants)
 * GET /aggregates/rollouts/{rolloutId}?from=&amp;to=           windows per build of the rollout + merged
 * GET /aggregates/devices/{deviceId}?from=&amp;to=             windows of one device + merged
 * GET /health                                              200 UP when the stream is RUNNING, else 503
 * GET /metrics                                             Prometheus text format
 * </pre>
 *
 * <p>{@code to} defaults to now and {@code from} to {@code to} minus {@link #DEFAULT_RANGE}.
 */
public final class TelemetryHttpServer implements AutoCloseable {
  /** Time range of window queries without {@code from}. */
  public static final Duration DEFAULT_RANGE = Duration.ofHours(1);
  static final String PROBLEM_JSON = "application/problem+json";
  static final String JSON = "application/json";

  private static final System.Logger LOG = System.getLogger(TelemetryHttpServer.class.getName());

  private final HttpServer server;
  private final ExecutorService executor;
  private final ObjectMapper mapper = EventCodec.mapper();
  private final Supplier<TelemetryQueryService> queries;
  private final PipelineMetrics metrics;
  private final Supplier<String> streamState;
  private final Clock clock;

  private TelemetryHttpServer(HttpServer server, Supplier<TelemetryQueryService> queries, PipelineMetrics metrics,
      Supplier<String> streamState, Clock clock) {
    this.server = server;
    this.queries = queries;
    this.metrics = metrics;
    this.streamState = streamState;
    this.clock = clock;
    this.executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "telemetry-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
  }

  /**
   * Binds the port (not yet serving; call {@link #start()}).
   *
   * @param queries supplies the query service (may be created after binding, e.g. once the stream exists)
   * @param streamState current Kafka Streams state name, e.g. {@code RUNNING}
   */
  public static TelemetryHttpServer bind(String host, int port, Supplier<TelemetryQueryService> queries,
      PipelineMetrics metrics, Supplier<String> streamState, Clock clock) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
      return new TelemetryHttpServer(server, queries, metrics, streamState, clock);
    } catch (IOException e) {
      throw new TelemetryPipelineException(TelemetryErrorCode.STARTUP_FAILED,
          "cannot bind the HTTP API to " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  public TelemetryHttpServer start() {
    server.start();
    return this;
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(1);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      executor.shutdownNow();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    try (exchange) {
      try {
        if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
          exchange.getResponseHeaders().add("Allow", "GET, HEAD");
          throw new TelemetryPipelineException(TelemetryErrorCode.METHOD_NOT_ALLOWED,
              exchange.getRequestMethod() + " is not supported; use GET");
        }
        route(exchange, segments(path), query(exchange.getRequestURI().getRawQuery()));
      } catch (TelemetryPipelineException e) {
        problem(exchange, e.code(), e.detail(), path);
      } catch (RuntimeException e) {
        LOG.log(Level.ERROR, "request " + path + " failed", e);
        problem(exchange, TelemetryErrorCode.INTERNAL, "unexpected server error; see the server log", path);
      }
    }
  }

  private void route(HttpExchange exchange, List<String> s, Map<String, String> q) throws IOException {
    if (s.size() == 1 && s.get(0).equals("health")) {
      String state = streamState.get();
      boolean up = "RUNNING".equals(state);
      json(exchange, up ? 200 : 503, new HealthStatus(up ? "UP" : "DOWN", state));
      return;
    }
    if (s.size() == 1 && s.get(0).equals("metrics")) {
      send(exchange, 200, PrometheusFormat.CONTENT_TYPE,
          PrometheusFormat.render(metrics, streamState.get()).getBytes(StandardCharsets.UTF_8));
      return;
    }
    if (s.size() >= 2 && s.get(0).equals("aggregates")) {
      TelemetryQueryService service = queries.get();
      if (service == null) {
        throw new TelemetryPipelineException(TelemetryErrorCode.STORE_UNAVAILABLE, "the stream is not started yet");
      }
      String kind = s.get(1);
      if (kind.equals("builds") && s.size() == 2) {
        json(exchange, 200, service.builds());
        return;
      }
      if (kind.equals("builds") && s.size() == 3) {
        json(exchange, 200, service.build(s.get(2)));
        return;
      }
      if (kind.equals("builds") && s.size() == 4 && s.get(3).equals("windows")) {
        Instant to = instant(q, "to", clock.instant());
        Instant from = instant(q, "from", to.minus(DEFAULT_RANGE));
        String hc = q.get("hardwareClass");
        json(exchange, 200, service.buildWindows(s.get(2), hc == null || hc.isBlank() ? null : hc, from, to));
        return;
      }
      if (kind.equals("rollouts") && s.size() == 3) {
        Instant to = instant(q, "to", clock.instant());
        json(exchange, 200, service.rollout(s.get(2), instant(q, "from", to.minus(DEFAULT_RANGE)), to));
        return;
      }
      if (kind.equals("devices") && s.size() == 3) {
        Instant to = instant(q, "to", clock.instant());
        json(exchange, 200, service.device(s.get(2), instant(q, "from", to.minus(DEFAULT_RANGE)), to));
        return;
      }
    }
    throw new TelemetryPipelineException(TelemetryErrorCode.NOT_FOUND, "no resource at " + "/" + String.join("/", s));
  }

  private static Instant instant(Map<String, String> q, String name, Instant fallback) {
    String v = q.get(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw new TelemetryPipelineException(TelemetryErrorCode.BAD_REQUEST,
          "query parameter " + name + " must be an ISO-8601 instant such as 2025-01-31T12:00:00Z, got '" + v + "'", e);
    }
  }

  private static List<String> segments(String rawPath) {
    List<String> out = new ArrayList<>();
    for (String seg : rawPath.split("/")) {
      if (!seg.isEmpty()) {
        out.add(decode(seg));
      }
    }
    return out;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return q;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name = decodeQuery(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decodeQuery(pair.substring(eq + 1));
      q.putIfAbsent(name, value);
    }
    return q;
  }

  private static String decode(String segment) {
    try {
      return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new TelemetryPipelineException(TelemetryErrorCode.BAD_REQUEST, "malformed percent-encoding in the path", e);
    }
  }

  private static String decodeQuery(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new TelemetryPipelineException(TelemetryErrorCode.BAD_REQUEST, "malformed percent-encoding in the query", e);
    }
  }

  private void json(HttpExchange exchange, int status, Object body) throws IOException {
    send(exchange, status, JSON, mapper.writeValueAsBytes(body));
  }

  private void problem(HttpExchange exchange, TelemetryErrorCode code, String detail, String instance)
      throws IOException {
    ProblemDetail p = new ProblemDetail("urn:edgefleet:problem:" + code.key(), title(code), code.httpStatus(), detail,
        instance, code.key());
    send(exchange, code.httpStatus(), PROBLEM_JSON, mapper.writeValueAsBytes(p));
  }

  private static String title(TelemetryErrorCode code) {
    switch (code.httpStatus()) {
      case 400:
        return "Bad request";
      case 404:
        return "Not found";
      case 405:
        return "Method not allowed";
      case 503:
        return "Service unavailable";
      default:
        return "Internal server error";
    }
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(status, head ? -1 : body.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
