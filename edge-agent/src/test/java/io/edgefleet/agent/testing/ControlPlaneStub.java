package io.edgefleet.agent.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.edgefleet.schemas.api.DeviceAssignment;
import io.edgefleet.schemas.api.DeviceRegistered;
import io.edgefleet.schemas.api.DeviceRegistration;
import io.edgefleet.schemas.api.HardwareClass;
import io.edgefleet.schemas.codec.EventCodec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * The control plane's device endpoints on a JDK HTTP server: enrolment and token checks ({@link DeviceAuthStub}), {@code POST /api/devices} (records the registration,
 * answers a 1 s poll interval) and {@code GET /api/devices/{id}/assignment} with ETag / 304 (an assignment without a
 * build, revision 0, until one is assigned). A stored assignment can be rewritten at request time ({@code served}), e.g.
 * to presign its object names as the control plane does.
 */
public final class ControlPlaneStub implements AutoCloseable {
  private final HttpServer server;
  private final List<DeviceRegistration> registrations = new CopyOnWriteArrayList<>();
  private final Map<String, DeviceAssignment> assignments = new ConcurrentHashMap<>();
  private final AtomicInteger assignmentRequests = new AtomicInteger();
  private final DeviceAuthStub auth = new DeviceAuthStub();
  private final UnaryOperator<DeviceAssignment> served;

  /** Answers stored assignments as they are, on the JDK server's single dispatcher thread. */
  public ControlPlaneStub() throws IOException {
    this(UnaryOperator.identity(), null);
  }

  /**
   * @param served what a stored assignment is answered as, applied at each 200 answer
   * @param executor the server's executor, null for the JDK default (one dispatcher thread)
   */
  public ControlPlaneStub(UnaryOperator<DeviceAssignment> served, Executor executor) throws IOException {
    this.served = served;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/devices", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** Serves {@code path} with {@code handler} on this stub's server as well. */
  public void route(String path, HttpHandler handler) {
    server.createContext(path, handler);
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public void assign(DeviceAssignment a) {
    assignments.put(a.deviceId(), a);
  }

  /** Device authentication of this stub (enrolment answers, tokens). */
  public DeviceAuthStub auth() {
    return auth;
  }

  public List<DeviceRegistration> registrations() {
    return registrations;
  }

  /** Assignment GETs answered (200 or 304). */
  public int assignmentRequests() {
    return assignmentRequests.get();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      if (auth.handleEnrolment(ex)) {
        return;
      }
      if (ex.getRequestMethod().equals("POST") && path.equals("/api/devices")) {
        DeviceRegistration r = EventCodec.mapper().readValue(ex.getRequestBody().readAllBytes(), DeviceRegistration.class);
        if (!auth.authorize(ex, r.deviceId())) {
          return;
        }
        registrations.add(r);
        byte[] body = EventCodec.mapper().writeValueAsBytes(new DeviceRegistered(r.deviceId(), HardwareClass.of(r.hardware()), 1));
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(201, body.length);
        ex.getResponseBody().write(body);
        return;
      }
      String[] parts = path.split("/");
      if (ex.getRequestMethod().equals("GET") && parts.length == 5 && parts[4].equals("assignment")) {
        if (!auth.authorize(ex, parts[3])) {
          return;
        }
        DeviceAssignment stored = assignments.get(parts[3]);
        DeviceAssignment a = stored;
        if (a == null) {
          // the control plane's answer for a registered device without a rollout: no build
          a = new DeviceAssignment(parts[3], 0, null, null, null, null, 0, null, null, null, null, 0, 1, null);
        }
        assignmentRequests.incrementAndGet();
        String etag = "\"" + a.revision() + "\"";
        ex.getResponseHeaders().add("ETag", etag);
        if (etag.equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
          ex.sendResponseHeaders(304, -1);
          return;
        }
        byte[] body = EventCodec.mapper().writeValueAsBytes(stored == null ? a : served.apply(stored));
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
        return;
      }
      ex.sendResponseHeaders(404, -1);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
