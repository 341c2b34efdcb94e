package io.edgefleet.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import io.edgefleet.agent.slots.ActiveState;
import io.edgefleet.agent.slots.SlotManager;
import io.edgefleet.agent.slots.SlotManifest;
import io.edgefleet.agent.testing.ControlPlaneStub;
import io.edgefleet.agent.testing.TinyModels;
import io.edgefleet.fixtures.FixtureModel;
import io.edgefleet.fixtures.Fixtures;
import io.edgefleet.quantization.quantize.QuantizationMode;
import io.edgefleet.quantization.quantize.Quantizer;
import io.edgefleet.quantization.runtime.TfliteRunner;
import io.edgefleet.quantization.samples.SampleSet;
import io.edgefleet.quantization.samples.SampleSetCodec;
import io.edgefleet.schemas.api.DeviceAssignment;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.schemas.events.BuildKeys;
import io.edgefleet.schemas.events.DeviceFeedback;
import io.edgefleet.schemas.events.FeedbackStatus;
import io.edgefleet.schemas.events.InferenceTelemetry;
import io.edgefleet.schemas.signing.ArtifactSignatures;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Process-level fault tests: the agent runs as a separate JVM from the packaged {@code target/edge-agent.jar} and
 * {@code target/classpath.txt} (exactly how the demo and a device run it) against the real local stack (Kafka, S3
 * server), and is killed with SIGKILL ({@link Process#destroyForcibly()}) or halted at a named crash point
 * ({@link CrashPoint}, test-only system property) and restarted on the same data directory.
 *
 * <p>{@link ControlPlaneStub} stands in for the control plane's device endpoints; its server also relays artifact
 * downloads to the presigned S3 URL (forwarding the {@code Range} header, rate-limited on demand), so the test can see
 * the ranged request of a resumed download.
 */
class AgentProcessFaultIT {
  private static final System.Logger LOG = System.getLogger(AgentProcessFaultIT.class.getName());
  private static final int SMOKE_SAMPLES = 200;
  @RegisterExtension static final AgentTestStack stack = new AgentTestStack();

  @TempDir Path dir;
  private ControlPlaneStub controlPlane;
  private final HttpClient http = HttpClient.newHttpClient();
  /** Range header of every artifact request relayed ("none" when absent). */
  private final List<String> artifactRanges = new CopyOnWriteArrayList<>();
  private final AtomicLong artifactBytesServed = new AtomicLong();
  /** Relay rate limit in bytes per second, 0 = unlimited. */
  private volatile long bytesPerSecond;
  private AgentTestStack.DeviceEvents events;
  private final List<Process> processes = new ArrayList<>();
  private final java.util.Map<Long, Path> logs = new java.util.concurrent.ConcurrentHashMap<>();
  private KeyPair platform;
  private Path publicKey;
  /** Run the agent with {@code java -jar target/edge-agent-all.jar} instead of the jar + classpath.txt launcher. */
  private boolean fatJar;

  @BeforeEach
  void setUp() throws Exception {
    // artifacts are fetched through the relay below, evaluation samples and references straight from presigned URLs
    controlPlane = new ControlPlaneStub(a -> stack.served(a, controlPlane.url() + "/artifacts/" + a.artifactUrl()),
        java.util.concurrent.Executors.newCachedThreadPool());
    controlPlane.route("/artifacts/", this::relayArtifact);
    events = stack.subscribe("edge-agent-fault-it-");
    platform = ArtifactSignatures.generateKeyPair();
    publicKey = dir.resolve("platform.pub.pem");
    Files.writeString(publicKey, ArtifactSignatures.toPem(platform.getPublic()));
  }

  @AfterEach
  void tearDown() {
    for (Process p : processes) {
      p.destroyForcibly();
    }
    events.close();
    controlPlane.close();
  }

  @Test
  void shouldResumeADownloadWithARangeRequestAfterSigkillAndEndWithTheVerifiedModelActive() throws Exception {
    String deviceId = "fault-dl-" + UUID.randomUUID().toString().substring(0, 8);
    Build build = fashionBuild();
    controlPlane.assign(build.assignment(deviceId, 1));
    Path data = dir.resolve(deviceId);
    Path part = data.resolve("downloads").resolve(build.buildKey + ".tflite.part");

    // a slow link: the agent gets ~64 KiB/s, the artifact is ~800 KB
    bytesPerSecond = 64 * 1024;
    Process first = startAgent(deviceId, null);
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(first.isAlive()).as("agent process alive").isTrue();
      assertThat(part).exists();
      assertThat(Files.size(part)).isGreaterThan(128 * 1024L);
    });
    first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    assertThat(first.exitValue()).isEqualTo(137);
    long partial = Files.size(part);
    assertThat(partial).isLessThan(build.artifact.length);
    assertThat(data.resolve("slots").resolve(SlotManager.ACTIVE_FILE)).doesNotExist();

    bytesPerSecond = 0;
    Process second = startAgent(deviceId, null);
    awaitFeedback(deviceId, build.buildKey, FeedbackStatus.RUNNING, second);
    assertThat(artifactRanges).first().isEqualTo("none");
    assertThat(artifactRanges).anySatisfy(r -> assertThat(r).startsWith("bytes=").isNotEqualTo("bytes=0-"));
    long resumedAt = Long.parseLong(artifactRanges.stream().filter(r -> r.startsWith("bytes=")).findFirst().orElseThrow()
        .substring("bytes=".length()).replace("-", ""));
    assertThat(resumedAt).isPositive().isLessThanOrEqualTo(partial);
    assertThat(feedback(deviceId)).filteredOn(f -> f.status() == FeedbackStatus.DOWNLOADED)
        .singleElement().satisfies(f -> assertThat(f.reason()).isEqualTo("resumed at byte " + resumedAt));
    assertThat(artifactBytesServed.get()).as("the resumed download did not start over").isLessThan(2L * build.artifact.length);

    ActiveState active = readActive(data);
    assertThat(active.active().buildKey()).isEqualTo(build.buildKey);
    assertThat(BuildKeys.sha256Hex(Files.readAllBytes(data.resolve("slots").resolve(active.active().slot()).resolve(SlotManager.MODEL_FILE))))
        .isEqualTo(build.sha256);
    assertThat(part).doesNotExist();
    awaitTelemetry(deviceId, build.buildKey, second);
    LOG.log(System.Logger.Level.INFO, "killed at {0} of {1} bytes; resumed with Range bytes={2}-", partial, build.artifact.length, resumedAt);
  }

  @Test
  void shouldServeACompleteModelAfterAHaltAroundTheSlotSwitch() throws Exception {
    String deviceId = "fault-sw-" + UUID.randomUUID().toString().substring(0, 8);
    Build old = tinyBuild(7, QuantizationMode.FULL_INT8);
    Build next = tinyBuild(8, QuantizationMode.DYNAMIC_RANGE_INT8);
    Path data = dir.resolve(deviceId);
    controlPlane.assign(old.assignment(deviceId, 1));
    Process p1 = startAgent(deviceId, null);
    awaitFeedback(deviceId, old.buildKey, FeedbackStatus.RUNNING, p1);
    p1.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

    // the new build is assigned; the agent halts with active.json.tmp written but not renamed: the old slot stays active
    controlPlane.assign(next.assignment(deviceId, 2));
    Process p2 = startAgent(deviceId, CrashPoint.SWITCH_TMP_WRITTEN);
    assertThat(p2.waitFor(90, TimeUnit.SECONDS)).as("halted at the crash point").isTrue();
    assertThat(p2.exitValue()).isEqualTo(CrashPoint.HALT_STATUS);
    assertThat(data.resolve("slots").resolve(SlotManager.ACTIVE_FILE + ".tmp")).exists();
    assertIntactActive(data, old);

    // restarted, it serves the old build at once, installs the new one again and halts right after the rename
    Process p3 = startAgent(deviceId, CrashPoint.SWITCH_AFTER);
    assertThat(p3.waitFor(90, TimeUnit.SECONDS)).as("halted at the crash point").isTrue();
    assertThat(p3.exitValue()).isEqualTo(CrashPoint.HALT_STATUS);
    assertIntactActive(data, next);

    // restarted without a crash point: serves the new build from active.json, reports RUNNING, does not reinstall
    Process p4 = startAgent(deviceId, null);
    awaitFeedback(deviceId, next.buildKey, FeedbackStatus.RUNNING, p4);
    awaitTelemetry(deviceId, next.buildKey, p4);
    // events spooled by the halted processes were delivered in order before p4's RUNNING: two installs, none by p4
    assertThat(feedback(deviceId)).filteredOn(f -> f.buildKey().equals(next.buildKey) && f.status() == FeedbackStatus.DOWNLOADING)
        .hasSize(2);
    assertThat(feedback(deviceId)).filteredOn(f -> f.buildKey().equals(next.buildKey) && f.status() == FeedbackStatus.INSTALLED)
        .as("INSTALLED is only reported once the new model serves, which no halted process reached").isEmpty();
    assertThat(feedback(deviceId)).noneMatch(f -> f.status() == FeedbackStatus.FAILED);
    assertThat(feedback(deviceId)).filteredOn(f -> f.buildKey().equals(next.buildKey)).extracting(DeviceFeedback::status)
        .containsSubsequence(FeedbackStatus.DOWNLOADING, FeedbackStatus.INSTALLING, FeedbackStatus.DOWNLOADING,
            FeedbackStatus.INSTALLING, FeedbackStatus.RUNNING);
    assertIntactActive(data, next);

    // a build that passes the smoke test but fails on served traffic: rolled back within its health window
    Build bad = badBuild(9);
    controlPlane.assign(bad.assignment(deviceId, 3));
    awaitFeedback(deviceId, bad.buildKey, FeedbackStatus.ROLLED_BACK, p4);
    DeviceFeedback rolledBack = feedback(deviceId).stream()
        .filter(f -> f.buildKey().equals(bad.buildKey) && f.status() == FeedbackStatus.ROLLED_BACK).findFirst().orElseThrow();
    assertThat(rolledBack.reason()).startsWith("health_check_failed: ").endsWith("serving previous build " + next.buildKey
        + " from slot " + readActive(data).active().slot());
    assertIntactActive(data, next);
    int before = events.received().size();
    await().atMost(Duration.ofSeconds(60)).pollInSameThread().pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      assertThat(p4.isAlive()).as("agent process alive").isTrue();
      events.drain();
      assertThat(events.received().subList(before, events.received().size())).as("served again after the rollback")
          .anyMatch(e -> e instanceof InferenceTelemetry t && t.deviceId().equals(deviceId) && t.buildKey().equals(next.buildKey)
              && t.latency().count() > 0 && t.errorCount() == 0);
    });
  }

  /**
   * Halts before the switch. {@code stage.model-copied}: the inactive slot holds the new model but no manifest (its
   * old manifest was deleted first), {@code active.json} is untouched and the verified download is still in
   * {@code downloads/}. {@code switch.before}: the staged slot is complete (manifest written last, smoke test passed),
   * {@code active.json} still names the old slot, no {@code active.json.tmp}. After each halt the restart serves the
   * old build from {@code active.json} first; the half-staged slot is never served: the restart re-stages it.
   */
  @Test
  void shouldKeepServingThePreviousBuildAfterAHaltWhileStagingOrBeforeTheSwitch() throws Exception {
    String deviceId = "fault-st-" + UUID.randomUUID().toString().substring(0, 8);
    // this test runs the single fat jar (natives, XNNPACK through JNA, Kafka client all from one jar)
    fatJar = true;
    Build old = tinyBuild(11, QuantizationMode.FULL_INT8);
    Build next = tinyBuild(12, QuantizationMode.DYNAMIC_RANGE_INT8);
    Path data = dir.resolve(deviceId);
    Path slotsDir = data.resolve("slots");
    controlPlane.assign(old.assignment(deviceId, 1));
    Process p1 = startAgent(deviceId, null);
    awaitFeedback(deviceId, old.buildKey, FeedbackStatus.RUNNING, p1);
    p1.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    String oldSlot = readActive(data).active().slot();
    String staging = oldSlot.equals("a") ? "b" : "a";
    Path download = data.resolve("downloads").resolve(next.buildKey + ".tflite");
    int transfersBefore = artifactRanges.size();

    // halt with the new model copied into the inactive slot, its manifest not written
    controlPlane.assign(next.assignment(deviceId, 2));
    Process p2 = startAgent(deviceId, CrashPoint.STAGE_MODEL_COPIED);
    assertThat(p2.waitFor(90, TimeUnit.SECONDS)).as("halted at the crash point").isTrue();
    assertThat(p2.exitValue()).isEqualTo(CrashPoint.HALT_STATUS);
    assertIntactActive(data, old);
    assertThat(readActive(data).previous()).as("first install: no previous slot").isNull();
    assertThat(slotsDir.resolve(SlotManager.ACTIVE_FILE + ".tmp")).doesNotExist();
    assertThat(BuildKeys.sha256Hex(Files.readAllBytes(slotsDir.resolve(staging).resolve(SlotManager.MODEL_FILE))))
        .isEqualTo(next.sha256);
    assertThat(slotsDir.resolve(staging).resolve(SlotManager.MANIFEST_FILE)).as("half-staged: no manifest").doesNotExist();
    assertThat(slotsDir.resolve(staging).resolve(SlotManager.EVAL_FILE)).doesNotExist();
    assertThat(download).as("the verified download is only deleted once staged").exists();
    assertThat(BuildKeys.sha256Hex(Files.readAllBytes(download))).isEqualTo(next.sha256);
    assertThat(artifactRanges).hasSize(transfersBefore + 1);

    // restarted: serves the old build, re-stages the slot from the verified download (no transfer), passes the smoke
    // test and halts before writing active.json
    Process p3 = startAgent(deviceId, CrashPoint.SWITCH_BEFORE);
    assertThat(p3.waitFor(90, TimeUnit.SECONDS)).as("halted at the crash point").isTrue();
    assertThat(p3.exitValue()).isEqualTo(CrashPoint.HALT_STATUS);
    assertThat(artifactRanges).as("the complete verified download was reused").hasSize(transfersBefore + 1);
    assertThat(log(p3)).contains("serving ServingModel[build=" + old.buildKey);
    assertIntactActive(data, old);
    assertThat(slotsDir.resolve(SlotManager.ACTIVE_FILE + ".tmp")).doesNotExist();
    SlotManifest staged = EventCodec.mapper().readValue(
        slotsDir.resolve(staging).resolve(SlotManager.MANIFEST_FILE).toFile(), SlotManifest.class);
    assertThat(staged.buildKey()).isEqualTo(next.buildKey);
    assertThat(staged.slot()).isEqualTo(staging);
    assertThat(new SlotManager(slotsDir, java.time.Clock.systemUTC()).intact(staged)).as("staged slot complete").isTrue();
    assertThat(download).as("deleted once staged").doesNotExist();

    // restarted without a crash point: the old build serves at once, the new one is downloaded, staged, switched to
    Process p4 = startAgent(deviceId, null);
    awaitFeedback(deviceId, next.buildKey, FeedbackStatus.RUNNING, p4);
    String served = log(p4);
    assertThat(served).contains("serving ServingModel[build=" + old.buildKey, "serving ServingModel[build=" + next.buildKey);
    assertThat(served.indexOf("serving ServingModel[build=" + old.buildKey))
        .as("the previous build served before the new one").isLessThan(served.indexOf("serving ServingModel[build=" + next.buildKey));
    assertThat(artifactRanges).as("downloaded again: the staged copy is not trusted across a restart").hasSize(transfersBefore + 2);
    assertIntactActive(data, next);
    ActiveState active = readActive(data);
    assertThat(active.active().slot()).isEqualTo(staging);
    assertThat(active.previous().buildKey()).isEqualTo(old.buildKey);
    assertThat(new SlotManager(slotsDir, java.time.Clock.systemUTC()).intact(active.previous())).as("old slot intact").isTrue();
    awaitTelemetry(deviceId, next.buildKey, p4);
    assertThat(feedback(deviceId)).filteredOn(f -> f.buildKey().equals(next.buildKey) && f.status() == FeedbackStatus.DOWNLOADING)
        .hasSize(3);
    assertThat(feedback(deviceId)).filteredOn(f -> f.buildKey().equals(next.buildKey) && f.status() == FeedbackStatus.INSTALLED)
        .as("only the process that switched and served reports INSTALLED").hasSize(1);
    assertThat(feedback(deviceId)).noneMatch(f -> f.status() == FeedbackStatus.FAILED || f.status() == FeedbackStatus.ROLLED_BACK);

    // the periodic per-operator profile of the served build arrives over Kafka in a telemetry batch
    await().atMost(Duration.ofSeconds(60)).pollInSameThread().pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      assertThat(p4.isAlive()).as("agent process alive").isTrue();
      events.drain();
      assertThat(events.received()).anySatisfy(e -> {
        assertThat(e).isInstanceOf(InferenceTelemetry.class);
        InferenceTelemetry t = (InferenceTelemetry) e;
        assertThat(t.deviceId()).isEqualTo(deviceId);
        assertThat(t.buildKey()).isEqualTo(next.buildKey);
        assertThat(t.opProfile()).isNotEmpty().allSatisfy(op -> {
          assertThat(op.runs()).isEqualTo(5);
          assertThat(op.op()).isNotBlank();
        });
      });
    });
  }

  // ---------------------------------------------------------------------------------------------------------------

  private record Build(String buildKey, byte[] artifact, String sha256, String evalObject, String referenceObject, String signature,
      String keyId) {
    DeviceAssignment assignment(String deviceId, long revision) {
      return new DeviceAssignment(deviceId, revision, "rollout-fault", buildKey, "builds/" + sha256 + ".tflite", sha256,
          artifact.length, signature, keyId, evalObject, referenceObject, 0.2, 1, null);
    }
  }

  private Build build(String buildKey, byte[] artifact, SampleSet eval, byte[] reference) throws Exception {
    String sha = BuildKeys.sha256Hex(artifact);
    byte[] evalBytes = SampleSetCodec.write(eval);
    String evalObject = "samples/" + BuildKeys.sha256Hex(evalBytes) + ".efs";
    String referenceObject = "references/" + BuildKeys.sha256Hex(reference) + ".efs";
    stack.upload("builds/" + sha + ".tflite", artifact);
    stack.upload(evalObject, evalBytes);
    stack.upload(referenceObject, reference);
    return new Build(buildKey, artifact, sha, evalObject, referenceObject,
        ArtifactSignatures.sign(platform.getPrivate(), sha, artifact.length), ArtifactSignatures.keyId(platform.getPublic()));
  }

  /** The float Fashion-MNIST CNN fixture (~800 KB) with 300 evaluation samples and its own outputs as reference. */
  private Build fashionBuild() throws Exception {
    byte[] model = Fixtures.model(FixtureModel.FASHION_CNN);
    SampleSet all = SampleSetCodec.read(Fixtures.evalSet());
    int n = 300;
    SampleSet eval = new SampleSet(all.sampleShape(), Arrays.copyOf(all.inputs(), n), Arrays.copyOf(all.labels(), n));
    float[][] outputs;
    try (TfliteRunner runner = TfliteRunner.load(model, 1)) {
      outputs = runner.inferAll(eval);
    }
    byte[] reference = SampleSetCodec.write(new SampleSet(new int[] {outputs[0].length}, outputs, null));
    return build(BuildKeys.of(BuildKeys.sha256Hex(model), "plan-float"), model, eval, reference);
  }

  private Build tinyBuild(long seed, QuantizationMode mode) throws Exception {
    byte[] floatModel = TinyModels.classifier(seed);
    SampleSet eval = TinyModels.evalSet(floatModel, 100, seed + 1);
    byte[] artifact = Quantizer.quantize(floatModel, mode, eval).tflite();
    return build(BuildKeys.of(BuildKeys.sha256Hex(floatModel), "plan-" + mode.name().toLowerCase(java.util.Locale.ROOT)),
        artifact, eval, TinyModels.referenceEfs(floatModel, eval));
  }

  /** Passes the smoke test (its first 200 samples are fine), then yields NaN on most served samples. */
  private Build badBuild(long seed) throws Exception {
    byte[] model = TinyModels.classifier(seed);
    SampleSet labelled = TinyModels.evalSet(model, 300, seed + 1);
    float[][] inputs = Arrays.stream(labelled.inputs()).map(float[]::clone).toArray(float[][]::new);
    for (int i = SMOKE_SAMPLES; i < inputs.length; i++) {
      Arrays.fill(inputs[i], Float.NaN);
    }
    SampleSet eval = new SampleSet(labelled.sampleShape(), inputs, labelled.labels());
    float[][] outputs = new float[inputs.length][TinyModels.CLASSES];
    for (float[] o : outputs) {
      o[0] = 1f; // reference top-1 is irrelevant here: no agreement bound can be met by NaN anyway
    }
    try (TfliteRunner runner = TfliteRunner.load(model, 1)) {
      for (int i = 0; i < SMOKE_SAMPLES; i++) {
        outputs[i] = runner.infer(inputs[i]);
      }
    }
    return build(BuildKeys.of(BuildKeys.sha256Hex(model), "plan-float-bad"), model, eval,
        SampleSetCodec.write(new SampleSet(new int[] {TinyModels.CLASSES}, outputs, null)));
  }

  private Process startAgent(String deviceId, CrashPoint haltAt) throws IOException {
    Path config = dir.resolve(deviceId + ".properties");
    Files.writeString(config, String.join("\n",
        "device.id=" + deviceId,
        "control-plane.url=" + controlPlane.url(),
        "kafka.bootstrap-servers=" + stack.kafkaBootstrapServers(),
        "data-dir=" + dir.resolve(deviceId),
        "trust.public-keys=" + publicKey,
        "telemetry.interval=1s",
        "inference.interval=10ms",
        "smoke.max-samples=" + SMOKE_SAMPLES,
        "http.timeout=5s",
        "register.max-backoff=2s",
        // the fat-jar agent also takes the optional per-operator profile (sent over Kafka in telemetry)
        fatJar ? "profile.interval=2s\nprofile.runs=5" : "",
        ""), StandardCharsets.UTF_8);
    Path jar = Path.of("target", fatJar ? "edge-agent-all.jar" : "edge-agent.jar").toAbsolutePath();
    assertThat(jar).as("run `mvn package` first: the IT runs the packaged agent").exists();
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1"));
    if (haltAt != null) {
      command.add("-D" + CrashPoint.PROPERTY + "=" + haltAt.point());
    }
    if (fatJar) {
      command.addAll(List.of("-jar", jar.toString(), "--config", config.toString()));
    } else {
      String deps = Files.readString(Path.of("target", "classpath.txt")).trim();
      command.addAll(List.of("-cp", jar + java.io.File.pathSeparator + deps, "io.edgefleet.agent.AgentMain", "--config", config.toString()));
    }
    Path log = dir.resolve(deviceId + "-" + processes.size() + ".log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    processes.add(p);
    logs.put(p.pid(), log);
    LOG.log(System.Logger.Level.INFO, "agent process {0} started (halt at {1}), log {2}", p.pid(), haltAt, log);
    return p;
  }

  private void awaitFeedback(String deviceId, String buildKey, FeedbackStatus status, Process agent) {
    await().atMost(Duration.ofSeconds(120)).pollInSameThread().pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      assertThat(agent.isAlive()).as("agent process alive").isTrue();
      events.drain();
      assertThat(feedback(deviceId)).anyMatch(f -> f.buildKey().equals(buildKey) && f.status() == status);
    });
  }

  private void awaitTelemetry(String deviceId, String buildKey, Process agent) {
    await().atMost(Duration.ofSeconds(60)).pollInSameThread().pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      assertThat(agent.isAlive()).as("agent process alive").isTrue();
      events.drain();
      assertThat(events.received()).anyMatch(e -> e instanceof InferenceTelemetry t && t.deviceId().equals(deviceId)
          && t.buildKey().equals(buildKey) && t.latency().count() > 0 && t.errorCount() == 0);
    });
  }

  /** Everything the agent process wrote so far (stdout and stderr). */
  private String log(Process p) throws IOException {
    return Files.readString(logs.get(p.pid()), StandardCharsets.UTF_8);
  }

  private static ActiveState readActive(Path data) throws IOException {
    return EventCodec.mapper().readValue(data.resolve("slots").resolve(SlotManager.ACTIVE_FILE).toFile(), ActiveState.class);
  }

  /** active.json names {@code build}'s slot and that slot holds exactly the signed artifact. */
  private static void assertIntactActive(Path data, Build build) throws IOException {
    ActiveState active = readActive(data);
    assertThat(active.active().buildKey()).isEqualTo(build.buildKey);
    Path model = data.resolve("slots").resolve(active.active().slot()).resolve(SlotManager.MODEL_FILE);
    assertThat(BuildKeys.sha256Hex(Files.readAllBytes(model))).isEqualTo(build.sha256);
  }

  /**
   * Feedback of a device in arrival order. Delivery is at-least-once: an event sent by a process killed before it
   * advanced its spool cursor is sent again by the next process; such replays are identical records and collapsed.
   */
  private List<DeviceFeedback> feedback(String deviceId) {
    return events.of(DeviceFeedback.class, deviceId).stream().distinct().toList();
  }

  // --- the artifact relay ----------------------------------------------------------------------------------------

  /** Relays {@code /artifacts/<object>} to the presigned S3 URL, forwarding Range, rate-limited when asked. */
  private void relayArtifact(HttpExchange ex) throws IOException {
    try (ex) {
      String object = ex.getRequestURI().getPath().substring("/artifacts/".length());
      String range = ex.getRequestHeaders().getFirst("Range");
      artifactRanges.add(range == null ? "none" : range);
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.presign(object))).GET();
      if (range != null) {
        request.header("Range", range);
      }
      HttpResponse<InputStream> upstream;
      try {
        upstream = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      upstream.headers().firstValue("Content-Range").ifPresent(v -> ex.getResponseHeaders().add("Content-Range", v));
      long length = upstream.headers().firstValueAsLong("Content-Length").orElse(0);
      ex.sendResponseHeaders(upstream.statusCode(), length == 0 ? -1 : length);
      try (InputStream in = upstream.body(); OutputStream out = ex.getResponseBody()) {
        byte[] chunk = new byte[8 * 1024];
        int n;
        while ((n = in.read(chunk)) > 0) {
          out.write(chunk, 0, n);
          out.flush();
          artifactBytesServed.addAndGet(n);
          long rate = bytesPerSecond;
          if (rate > 0) {
            // the simulated slow link
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(n) / rate);
          }
        }
      }
    }
  }
}
