package io.edgefleet.demo;

import io.edgefleet.demo.auth.OperatorTokens;
import io.edgefleet.localstack.LocalStack;
import io.edgefleet.localstack.LocalStackConfig;
import io.edgefleet.schemas.signing.ArtifactSignatures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * Starts the whole platform on this machine: the local stack (real Kafka, PostgreSQL, S3 server), the control plane,
 * a quantizer worker and a fleet of edge agents, each as its own process from its module's build output. Used by the
 * demo command and by the whole-loop integration test.
 */
public final class PlatformLauncher implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(PlatformLauncher.class.getName());

  private final PlatformConfig config;
  private final ProjectLayout layout;
  private final List<AutoCloseable> started = new ArrayList<>();
  private LocalStack stack;
  private URI controlPlaneUrl;
  private Path publicKey;
  private Path privateKey;
  private OperatorTokens operatorTokens;
  private Path deviceTokenPrivateKey;
  private Path deviceTokenPublicKey;
  private ChildProcess controlPlane;
  private ChildProcess worker;
  private final List<ChildProcess> agents = new ArrayList<>();
  private final List<DemoDevice> fleet;

  public PlatformLauncher(PlatformConfig config, ProjectLayout layout) {
    this.config = config;
    this.layout = layout;
    this.fleet = DemoDevice.fleet(config.agents());
  }

  /** Starts everything and waits until the control plane is ready; on failure stops what did start. */
  public PlatformLauncher start() throws IOException, InterruptedException {
    try {
      Files.createDirectories(config.dataDir());
      generateSigningKeys();
      Instant t0 = Instant.now();
      stack = LocalStack.start(LocalStackConfig.builder().dataDir(config.dataDir().resolve("stack")).build());
      started.add(stack);
      LOG.info(() -> "local stack ready in " + Duration.between(t0, Instant.now()).toMillis() + " ms: kafka "
          + stack.kafkaBootstrapServers() + ", postgres " + stack.jdbcUrl() + ", s3 " + stack.s3Endpoint());
      startControlPlane();
      startWorker();
      for (DemoDevice d : fleet) {
        startAgent(d);
      }
      return this;
    } catch (IOException | InterruptedException | RuntimeException e) {
      close();
      throw e;
    }
  }

  public URI controlPlaneUrl() {
    return controlPlaneUrl;
  }

  public LocalStack stack() {
    return stack;
  }

  List<DemoDevice> fleet() {
    return fleet;
  }

  public Path publicKey() {
    return publicKey;
  }

  /** The local stand-in of the operators' OIDC provider (keys in {@code <data-dir>/keys}). */
  public OperatorTokens operatorTokens() {
    return operatorTokens;
  }

  /** An operator API client with the admin role (a fresh 10-minute admin token per call). */
  public OperatorClient operatorClient() {
    return new OperatorClient(controlPlaneUrl,
        () -> operatorTokens.mint("platform-admin", Duration.ofMinutes(10), "admin"));
  }

  /** The dashboard URL carrying a read-only (viewer) token valid for {@code ttl}. */
  public String dashboardUrl(Duration ttl) {
    return controlPlaneUrl + "/#token=" + operatorTokens.mint("dashboard-viewer", ttl, "viewer");
  }

  /** Fails with the component's log tail if any component died. */
  public void requireAllAlive() {
    controlPlane.requireAlive();
    worker.requireAlive();
    agents.forEach(ChildProcess::requireAlive);
  }

  public ChildProcess controlPlaneProcess() {
    return controlPlane;
  }

  public ChildProcess workerProcess() {
    return worker;
  }

  public List<ChildProcess> agentProcesses() {
    return List.copyOf(agents);
  }

  private void generateSigningKeys() throws IOException {
    Path keys = config.dataDir().resolve("keys");
    Files.createDirectories(keys);
    publicKey = keys.resolve("build-signing.pub.pem");
    privateKey = keys.resolve("build-signing.key.pem");
    if (!Files.exists(privateKey) || !Files.exists(publicKey)) {
      KeyPair kp = ArtifactSignatures.generateKeyPair();
      Files.writeString(privateKey, ArtifactSignatures.toPem(kp.getPrivate()), StandardCharsets.US_ASCII);
      Files.writeString(publicKey, ArtifactSignatures.toPem(kp.getPublic()), StandardCharsets.US_ASCII);
    }
    // operators' token keys (stand-in of the OIDC provider) and the control plane's device-token signing key
    operatorTokens = OperatorTokens.loadOrCreate(keys);
    deviceTokenPrivateKey = keys.resolve("device-token.key.pem");
    deviceTokenPublicKey = keys.resolve("device-token.pub.pem");
    if (!Files.exists(deviceTokenPrivateKey) || !Files.exists(deviceTokenPublicKey)) {
      KeyPair kp = ArtifactSignatures.generateKeyPair();
      OperatorTokens.writePrivate(deviceTokenPrivateKey, ArtifactSignatures.toPem(kp.getPrivate()));
      Files.writeString(deviceTokenPublicKey, ArtifactSignatures.toPem(kp.getPublic()), StandardCharsets.US_ASCII);
    }
  }

  private void startControlPlane() throws IOException, InterruptedException {
    int port = controlPlaneUrl != null ? controlPlaneUrl.getPort()
        : config.httpPort() == 0 ? freePort() : config.httpPort();
    controlPlaneUrl = URI.create("http://127.0.0.1:" + port);
    List<String> args =
        new ArrayList<>(
            List.of(
                "-Xmx512m",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-Dkafka.bootstrap.servers=" + stack.kafkaBootstrapServers(),
                "-Dquarkus.datasource.jdbc.url=" + stack.jdbcUrl(),
                "-Dquarkus.datasource.username=" + stack.dbUser(),
                "-Dquarkus.datasource.password=" + stack.dbPassword(),
                "-Dedgefleet.s3.endpoint=" + stack.s3Endpoint(),
                "-Dedgefleet.s3.access-key=" + stack.s3AccessKey(),
                "-Dedgefleet.s3.secret-key=" + stack.s3SecretKey(),
                "-Dedgefleet.s3.bucket=" + stack.s3Bucket(),
                "-Dedgefleet.devices.poll-interval-seconds=2",
                "-Dmp.jwt.verify.issuer=" + OperatorTokens.ISSUER,
                "-Dmp.jwt.verify.audiences=" + OperatorTokens.AUDIENCE,
                "-Dmp.jwt.verify.publickey.location=" + operatorTokens.publicKeyFile().toUri(),
                "-Dedgefleet.auth.device-tokens.signing-key=" + deviceTokenPrivateKey,
                "-Dedgefleet.auth.device-tokens.signing-public-key=" + deviceTokenPublicKey,
                "-jar",
                layout.controlPlaneJar().toString()));
    controlPlane = ChildProcess.startJava("control-plane", args, config.dataDir().resolve("logs/control-plane.log"), config.dataDir());
    started.add(controlPlane);
    OperatorClient probe = new OperatorClient(controlPlaneUrl);
    waitUntil("control plane ready", controlPlane, () -> probe.status("/q/health/ready") == 200);
    LOG.info(() -> "control plane ready at " + controlPlaneUrl);
  }

  private void startWorker() throws IOException {
    List<String> args =
        List.of(
            "-Xmx768m",
            "-Dworker.kafka.bootstrap-servers=" + stack.kafkaBootstrapServers(),
            "-Dworker.s3.endpoint=" + stack.s3Endpoint(),
            "-Dworker.s3.access-key=" + stack.s3AccessKey(),
            "-Dworker.s3.secret-key=" + stack.s3SecretKey(),
            "-Dworker.signing.private-key=" + privateKey,
            "-Dworker.signing.public-key=" + publicKey,
            "-Dworker.id=worker-1",
            "-Dworker.s3.bucket=" + stack.s3Bucket(),
            "-cp",
            layout.moduleClasspath("quantizer-worker"),
            "io.edgefleet.worker.WorkerMain");
    worker = ChildProcess.startJava("quantizer-worker", args, config.dataDir().resolve("logs/quantizer-worker.log"), config.dataDir());
    started.add(worker);
  }

  private void startAgent(DemoDevice device) throws IOException {
    Path dir = config.dataDir().resolve("agents").resolve(device.deviceId());
    Files.createDirectories(dir);
    Properties p = new Properties();
    p.setProperty("device.id", device.deviceId());
    p.setProperty("device.name", device.deviceId());
    p.setProperty("control-plane.url", controlPlaneUrl.toString());
    p.setProperty("kafka.bootstrap-servers", stack.kafkaBootstrapServers());
    p.setProperty("data-dir", dir.toString());
    p.setProperty("accelerator.type", device.acceleratorType());
    p.setProperty("accelerator.precisions", String.join(",", device.acceleratorPrecisions()));
    p.setProperty("trust.public-keys", publicKey.toString());
    p.setProperty("attributes.site", device.site());
    p.setProperty("inference.threads", "1");
    p.setProperty("telemetry.interval", "2s");
    p.setProperty("poll.interval", "2s");
    // a per-operator profile of the served build every 30 s (shown on the dashboard, GET /api/telemetry/builds/{key}/ops)
    p.setProperty("profile.interval", "30s");
    Path file = dir.resolve("agent.properties");
    try (var w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      p.store(w, "edge agent " + device.deviceId() + " (written by the platform launcher)");
    }
    List<String> args =
        List.of("-Xmx128m", "-cp", layout.moduleClasspath("edge-agent"), "io.edgefleet.agent.AgentMain", "--config", file.toString());
    ChildProcess agent =
        ChildProcess.startJava("agent " + device.deviceId(), args, config.dataDir().resolve("logs/agent-" + device.deviceId() + ".log"), config.dataDir());
    agents.add(agent);
    started.add(agent);
  }

  private void waitUntil(String what, ChildProcess process, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(config.startupTimeout());
    while (!condition.getAsBoolean()) {
      process.requireAlive();
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("timed out waiting for " + what + "; last log lines of " + process.name()
            + ":\n" + process.tail(40));
      }
      Thread.sleep(250);
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }

  /**
   * Kills the control plane with SIGKILL (a crash: nothing is flushed or closed) and starts it again on the same port
   * and database; returns once it is ready.
   */
  public void crashAndRestartControlPlane() throws IOException, InterruptedException {
    controlPlane.kill();
    started.remove(controlPlane);
    startControlPlane();
  }

  /** Kills the quantizer worker with SIGKILL (a crash in the middle of whatever it was doing). */
  public void crashWorker() throws InterruptedException {
    worker.kill();
    started.remove(worker);
  }

  /** Starts a new quantizer worker process with the same identity and configuration (after {@link #crashWorker}). */
  public void restartWorker() throws IOException {
    if (worker != null && worker.isAlive()) {
      throw new IllegalStateException("the worker is still running");
    }
    startWorker();
  }

  /** Stops agents, worker, control plane, then the stack, in that order. */
  @Override
  public void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        LOG.warning("stopping " + started.get(i) + " failed: " + e);
      }
    }
    started.clear();
  }
}
