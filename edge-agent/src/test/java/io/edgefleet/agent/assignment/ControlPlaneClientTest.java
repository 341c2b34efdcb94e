package io.edgefleet.agent.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.edgefleet.agent.AgentErrorCode;
import io.edgefleet.agent.AgentException;
import io.edgefleet.agent.auth.DeviceKey;
import io.edgefleet.agent.testing.DeviceAuthStub;
import io.edgefleet.schemas.api.AcceleratorInfo;
import io.edgefleet.schemas.api.DeviceAssignment;
import io.edgefleet.schemas.api.DeviceRegistered;
import io.edgefleet.schemas.api.DeviceRegistration;
import io.edgefleet.schemas.api.HardwareProfile;
import io.edgefleet.schemas.codec.EventCodec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlPlaneClientTest {
  private HttpServer server;
  private ControlPlaneClient client;
  private final AtomicReference<DeviceAssignment> assignment = new AtomicReference<>();
  private final List<String> ifNoneMatch = new CopyOnWriteArrayList<>();
  private final AtomicReference<byte[]> registrationBody = new AtomicReference<>();
  private final AtomicInteger assignmentStatusOverride = new AtomicInteger();
  private final DeviceAuthStub auth = new DeviceAuthStub();
  private static final DeviceRegistration REGISTRATION = new DeviceRegistration("dev-1", "Device 1",
      new HardwareProfile("amd64", "cpu", 2, 1L << 30, 1L << 30, List.of(), AcceleratorInfo.none(), "Linux", "2.19.0"),
      "dev", Map.of());
  @TempDir Path dataDir;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/devices", this::handle);
    server.start();
    client =
        new ControlPlaneClient(
            HttpClient.newHttpClient(),
            URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
            Duration.ofSeconds(5), DeviceKey.loadOrCreate(dataDir), Clock.systemUTC());
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      if (auth.handleEnrolment(ex)) {
        return;
      }
      if (ex.getRequestMethod().equals("POST") && path.equals("/api/devices")) {
        registrationBody.set(ex.getRequestBody().readAllBytes());
        DeviceRegistration r = EventCodec.mapper().readValue(registrationBody.get(), DeviceRegistration.class);
        if (!auth.authorize(ex, r.deviceId())) {
          return;
        }
        send(ex, 201, EventCodec.mapper().writeValueAsBytes(new DeviceRegistered(r.deviceId(), "hc-0123456789abcdef", 7)), null);
        return;
      }
      if (ex.getRequestMethod().equals("GET") && path.startsWith("/api/devices/") && path.endsWith("/assignment")) {
        if (!auth.authorize(ex, path.split("/")[3])) {
          return;
        }
        if (assignmentStatusOverride.get() != 0) {
          send(ex, assignmentStatusOverride.get(), "{\"title\":\"nope\"}".getBytes(), null);
          return;
        }
        String sent = ex.getRequestHeaders().getFirst("If-None-Match");
        ifNoneMatch.add(String.valueOf(sent));
        DeviceAssignment a = assignment.get();
        String etag = "\"" + a.revision() + "\"";
        if (etag.equals(sent)) {
          ex.getResponseHeaders().add("ETag", etag);
          ex.sendResponseHeaders(304, -1);
          return;
        }
        send(ex, 200, EventCodec.mapper().writeValueAsBytes(a), etag);
        return;
      }
      ex.sendResponseHeaders(404, -1);
    }
  }

  private static void send(HttpExchange ex, int status, byte[] body, String etag) throws IOException {
    ex.getResponseHeaders().add("Content-Type", "application/json");
    if (etag != null) {
      ex.getResponseHeaders().add("ETag", etag);
    }
    ex.sendResponseHeaders(status, body.length);
    ex.getResponseBody().write(body);
  }

  private static DeviceAssignment assignment(long revision, String buildKey) {
    return new DeviceAssignment(
        "dev-1", revision, "r-1", buildKey, "http://s3/x", "ab".repeat(32), 10, "sig", "kid", null, null, 0.02, 3,
        Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Test
  void shouldRegisterWithTheHardwareProfileAsJson() throws IOException {
    HardwareProfile hw =
        new HardwareProfile("amd64", "cpu", 2, 1L << 30, 1L << 30, List.of("avx2"), new AcceleratorInfo("npu", List.of("INT8")), "Linux", "tflite-2.19.0");

    DeviceRegistered r = client.register(new DeviceRegistration("dev-1", "Device 1", hw, "dev", Map.of("tags", "lab")));

    assertThat(r.hardwareClass()).isEqualTo("hc-0123456789abcdef");
    assertThat(r.pollIntervalSeconds()).isEqualTo(7);
    DeviceRegistration received = EventCodec.mapper().readValue(registrationBody.get(), DeviceRegistration.class);
    assertThat(received.hardware()).isEqualTo(hw);
    assertThat(received.attributes()).containsEntry("tags", "lab");
  }

  @Test
  void shouldSendTheETagBackAndTreat304AsUnchanged() {
    client.enrol(REGISTRATION);
    assignment.set(assignment(4, "build-a"));

    AssignmentPoll first = client.fetchAssignment("dev-1", null);
    assertThat(first).isInstanceOf(AssignmentPoll.Changed.class);
    AssignmentPoll.Changed changed = (AssignmentPoll.Changed) first;
    assertThat(changed.etag()).isEqualTo("\"4\"");
    assertThat(changed.assignment().buildKey()).isEqualTo("build-a");

    assertThat(client.fetchAssignment("dev-1", changed.etag())).isInstanceOf(AssignmentPoll.Unchanged.class);

    assignment.set(assignment(5, "build-b"));
    AssignmentPoll third = client.fetchAssignment("dev-1", changed.etag());
    assertThat(third).isInstanceOf(AssignmentPoll.Changed.class);
    assertThat(((AssignmentPoll.Changed) third).assignment().revision()).isEqualTo(5);
    assertThat(ifNoneMatch).containsExactly("null", "\"4\"", "\"4\"");
  }

  @Test
  void shouldClassifyServerErrorsAsRetriableAndClientErrorsAsRejected() {
    client.enrol(REGISTRATION);
    assignmentStatusOverride.set(503);
    assertThatThrownBy(() -> client.fetchAssignment("dev-1", null))
        .isInstanceOf(AgentException.class)
        .satisfies(e -> assertThat(((AgentException) e).code()).isEqualTo(AgentErrorCode.CONTROL_PLANE_ERROR))
        .hasMessageContaining("HTTP 503");

    assignmentStatusOverride.set(404);
    assertThatThrownBy(() -> client.fetchAssignment("dev-1", null))
        .isInstanceOf(AgentException.class)
        .satisfies(e -> assertThat(((AgentException) e).code()).isEqualTo(AgentErrorCode.CONTROL_PLANE_REJECTED));
  }

  @Test
  void shouldReportAnUnreachableControlPlaneAsNetworkUnavailable() throws IOException {
    int freePort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      freePort = s.getLocalPort();
    }
    ControlPlaneClient down =
        new ControlPlaneClient(HttpClient.newHttpClient(), URI.create("http://127.0.0.1:" + freePort),
            Duration.ofSeconds(2), DeviceKey.loadOrCreate(dataDir), Clock.systemUTC());

    assertThatThrownBy(() -> down.register(REGISTRATION))
        .isInstanceOf(AgentException.class)
        .satisfies(e -> assertThat(((AgentException) e).code()).isEqualTo(AgentErrorCode.NETWORK_UNAVAILABLE));
  }

  @Test
  void shouldEnrolWithASignedRequestAndSendTheTokenOnEveryCall() {
    ControlPlaneClient.Enrolment e = client.enrol(REGISTRATION);

    assertThat(e.token()).isNotBlank();
    assertThat(auth.enrolledKeys()).containsExactly(DeviceKey.loadOrCreate(dataDir).publicKeyPem());
    assignment.set(assignment(1, null));
    assertThat(client.fetchAssignment("dev-1", null)).isInstanceOf(AssignmentPoll.Changed.class);
    assertThat(auth.rejectedCalls()).isEmpty();
    // another device's assignment is refused by the server: a client error, not retried as is
    assertThatThrownBy(() -> client.fetchAssignment("dev-2", null))
        .satisfies(x -> assertThat(((AgentException) x).code()).isEqualTo(AgentErrorCode.CONTROL_PLANE_REJECTED));
  }

  @Test
  void shouldReportPendingAndRejectedEnrolments() {
    auth.mode(DeviceAuthStub.Mode.PENDING);
    assertThatThrownBy(() -> client.register(REGISTRATION))
        .satisfies(x -> assertThat(((AgentException) x).code()).isEqualTo(AgentErrorCode.DEVICE_AUTH_PENDING));
    auth.mode(DeviceAuthStub.Mode.REJECT);
    assertThatThrownBy(() -> client.register(REGISTRATION))
        .satisfies(x -> assertThat(((AgentException) x).code()).isEqualTo(AgentErrorCode.DEVICE_AUTH_REJECTED));
    auth.mode(DeviceAuthStub.Mode.ACCEPT);
    assertThat(client.register(REGISTRATION).pollIntervalSeconds()).isEqualTo(7);
  }

  @Test
  void shouldEnrolAgainWhenTheServerAnswers401AndRetryTheCallOnce() {
    client.register(REGISTRATION);
    assignment.set(assignment(2, null));
    auth.revokeAll();

    assertThat(client.fetchAssignment("dev-1", null)).isInstanceOf(AssignmentPoll.Changed.class);
    assertThat(auth.rejectedCalls()).containsExactly("/api/devices/dev-1/assignment");
    assertThat(auth.enrolledKeys()).hasSize(2);
  }

  @Test
  void shouldRenewATokenWithinAMinuteOfItsExpiryBeforeCalling() {
    auth.ttl(Duration.ofSeconds(90));
    client.register(REGISTRATION);
    Instant first = client.tokenExpiresAt();
    assignment.set(assignment(3, null));
    client.fetchAssignment("dev-1", null);
    assertThat(auth.enrolledKeys()).hasSize(1);

    auth.ttl(Duration.ofSeconds(30));
    client.invalidateToken();
    client.fetchAssignment("dev-1", null);
    assertThat(auth.enrolledKeys()).hasSize(2);
    // a 30 s token is within the renewal margin: the next call enrols first, and no call is answered 401
    client.fetchAssignment("dev-1", null);
    assertThat(auth.enrolledKeys()).hasSize(3);
    assertThat(auth.rejectedCalls()).isEmpty();
    assertThat(first).isNotNull();
  }
}
