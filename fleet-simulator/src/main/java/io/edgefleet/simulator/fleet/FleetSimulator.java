package io.edgefleet.simulator.fleet;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefleet.schemas.Topics;
import io.edgefleet.schemas.api.DeviceAssignment;
import io.edgefleet.schemas.api.DeviceRegistered;
import io.edgefleet.schemas.api.DeviceRegistration;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.schemas.events.DeviceFeedback;
import io.edgefleet.schemas.events.FeedbackStatus;
import io.edgefleet.schemas.events.InferenceTelemetry;
import io.edgefleet.schemas.events.LatencyStats;
import io.edgefleet.schemas.signing.ArtifactSignatures;
import io.edgefleet.simulator.SimulatorErrorCode;
import io.edgefleet.simulator.SimulatorException;
import io.edgefleet.simulator.latency.BuildProfiler;
import io.edgefleet.simulator.latency.LatencyProfile;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bytedeco.tensorflowlite.global.tensorflowlite;

/**
 * Thousands of simulated devices in one JVM, speaking the agent's protocol: enrolment {@code POST /api/devices/auth}
 * signed with each device's own Ed25519 key (token renewed within 60 s of expiry or after a 401; pending devices ask
 * again at the poll interval), then with the device token {@code POST /api/devices} with a
 * {@link SimulatedHardware} profile, {@code GET /api/devices/{id}/assignment} with {@code If-None-Match} at the
 * server-set interval, feedback DOWNLOADING → DOWNLOADED → INSTALLING → RUNNING and periodic {@link InferenceTelemetry}
 * to Kafka as {@link EventCodec} bytes (key = device id). All devices share one scheduler, one {@link HttpClient} and
 * one idempotent Kafka producer.
 *
 * <p><b>Simulated, and labelled so:</b> registrations carry the attributes {@code simulated=true} and
 * {@code simulator=fleet-simulator}, the agent version {@code fleet-simulator/…}, and every event's CloudEvents
 * source is {@code edgefleet/fleet-simulator/<deviceId>} (the telemetry schema has no field for it). Inference is not
 * run per device: each build is measured once in the real TFLite runtime on this host ({@link BuildProfiler}) and the
 * devices replay latencies drawn from that measured distribution, and correct/agreeing counts drawn with the measured
 * top-1 accuracy and agreement. Hardware classes are declared, not present: replayed latencies are this host's.
 */
public final class FleetSimulator implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(FleetSimulator.class.getName());
  /** Agent version the simulated devices report. */
  public static final String AGENT_VERSION = "fleet-simulator/0.1.0";
  private static final int MAX_LOGGED_ERRORS = 20;

  private final SimulatorConfig config;
  private final ObjectMapper json = EventCodec.mapper();
  private final EventCodec codec = new EventCodec();
  private final ScheduledThreadPoolExecutor scheduler;
  private final ExecutorService httpExecutor;
  private final ExecutorService measuring;
  private final HttpClient http;
  private final Producer<String, byte[]> producer;
  private final BuildProfiler profiler;
  private final Semaphore inFlight;
  private final String runtimeVersion;
  private final long firstSequence = System.currentTimeMillis() * 1000;
  private final List<SimulatedDevice> devices = new ArrayList<>();
  private final ThreadLocal<Histogram> windowHistogram = ThreadLocal.withInitial(() -> new Histogram(1, 60_000_000L, 3));
  private final ThreadLocal<ByteBuffer> encodeBuffer = new ThreadLocal<>();

  private final AtomicInteger registered = new AtomicInteger();
  private final AtomicInteger assigned = new AtomicInteger();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicLong registrationErrors = new AtomicLong();
  private final AtomicLong pendingEnrolments = new AtomicLong();
  private final AtomicLong polls = new AtomicLong();
  private final AtomicLong notModified = new AtomicLong();
  private final AtomicLong httpErrors = new AtomicLong();
  private final AtomicLong deferred = new AtomicLong();
  private final AtomicLong feedbackSent = new AtomicLong();
  private final AtomicLong telemetrySent = new AtomicLong();
  private final AtomicLong kafkaErrors = new AtomicLong();
  private final AtomicLong downloadsVerified = new AtomicLong();
  private final AtomicLong loggedErrors = new AtomicLong();
  private final AtomicReference<Instant> lastRegisteredAt = new AtomicReference<>();
  private final AtomicReference<Instant> firstAssignedAt = new AtomicReference<>();
  private final AtomicReference<Instant> lastAssignedAt = new AtomicReference<>();
  private final AtomicReference<Instant> lastRunningAt = new AtomicReference<>();
  private volatile boolean closed;

  private FleetSimulator(SimulatorConfig config) {
    this.config = config;
    this.scheduler = new ScheduledThreadPoolExecutor(config.schedulerThreads(), daemon("fleet-sim-scheduler"));
    this.scheduler.setRemoveOnCancelPolicy(true);
    this.httpExecutor = Executors.newFixedThreadPool(2, daemon("fleet-sim-http"));
    this.measuring = Executors.newSingleThreadExecutor(daemon("fleet-sim-measure"));
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(config.httpTimeout())
        .executor(httpExecutor)
        .build();
    this.inFlight = new Semaphore(config.maxInFlightRequests());
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "fleet-simulator-" + config.devicePrefix());
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    PublicKey trusted = null;
    if (config.trustedPublicKey() != null) {
      try {
        trusted = ArtifactSignatures.readPublicKey(config.trustedPublicKey());
      } catch (IOException e) {
        throw new SimulatorException(SimulatorErrorCode.INVALID_CONFIG, "cannot read " + config.trustedPublicKey(), e);
      }
    }
    this.profiler = new BuildProfiler(new ArtifactFetcher(http, config.httpTimeout()), measuring, trusted,
        config.profileInferences());
    this.runtimeVersion = "tflite-" + tensorflowlite.TfLiteVersion().getString();
  }

  /** Creates the shared scheduler, HTTP client and Kafka producer; add devices with {@link #addDevices(int)}. */
  public static FleetSimulator start(SimulatorConfig config) {
    return new FleetSimulator(config);
  }

  /** Creates {@code count} more devices; each enrols and registers as soon as an in-flight slot is free, then polls. */
  public synchronized List<String> addDevices(int count) {
    return addDevices(count, null);
  }

  /**
   * Creates {@code count} more devices, has their public keys preauthorised (in chunks of 1000, before any of them
   * enrols), then lets them enrol, register and poll. Without a preauthorizer the devices stay pending until an admin
   * accepts them.
   */
  public synchronized List<String> addDevices(int count, Preauthorizer preauthorizer) {
    if (closed) {
      throw new IllegalStateException("simulator closed");
    }
    List<String> ids = new ArrayList<>(count);
    int from = devices.size();
    for (int i = from; i < from + count; i++) {
      boolean verifies = Math.floorMod(mix(i), 10_000) < Math.round(config.verifyDownloadFraction() * 10_000);
      SimulatedDevice d = new SimulatedDevice(i, config.deviceId(i),
          SimulatedHardware.forDevice(i, config.hardwareClasses()), verifies, firstSequence);
      devices.add(d);
      ids.add(d.id);
    }
    List<SimulatedDevice> added = devices.subList(from, devices.size());
    if (preauthorizer != null) {
      for (int i = 0; i < added.size(); i += 1000) {
        List<Map<String, String>> chunk = added.subList(i, Math.min(added.size(), i + 1000)).stream()
            .map(d -> Map.of("deviceId", d.id, "publicKey", ArtifactSignatures.toPem(d.key.getPublic()))).toList();
        try {
          preauthorizer.preauthorize(chunk);
        } catch (Exception e) {
          throw new SimulatorException(SimulatorErrorCode.INVALID_CONFIG, "preauthorising " + chunk.size()
              + " simulated devices failed: " + e.getMessage(), e);
        }
      }
    }
    for (SimulatedDevice d : List.copyOf(added)) {
      scheduler.execute(() -> register(d));
    }
    return ids;
  }

  public synchronized List<String> deviceIds() {
    return devices.stream().map(d -> d.id).toList();
  }

  /** The current device token of every enrolled device, by device id (for load tools acting as those devices). */
  public synchronized Map<String, String> deviceTokens() {
    Map<String, String> tokens = new java.util.TreeMap<>();
    for (SimulatedDevice d : devices) {
      String t = d.token;
      if (t != null) {
        tokens.put(d.id, t);
      }
    }
    return tokens;
  }

  /** The latency profiles measured so far, by build key. */
  public Map<String, LatencyProfile> measuredProfiles() {
    return profiler.measured();
  }

  public synchronized FleetStats stats() {
    return new FleetStats(devices.size(), registered.get(), assigned.get(), running.get(), failed.get(),
        registrationErrors.get(), polls.get(), notModified.get(), httpErrors.get(), deferred.get(), feedbackSent.get(),
        telemetrySent.get(), kafkaErrors.get(), downloadsVerified.get(), lastRegisteredAt.get(), firstAssignedAt.get(), lastAssignedAt.get(),
        lastRunningAt.get());
  }

  /** Where the fleet stands in one rollout, from the devices' side. */
  public synchronized RolloutProgress progress(String rolloutId) {
    int assignedCount = 0;
    int runningCount = 0;
    long firstAssigned = Long.MAX_VALUE;
    long lastAssigned = 0;
    long lastRunning = 0;
    for (SimulatedDevice d : devices) {
      if (!rolloutId.equals(d.rolloutId)) {
        continue;
      }
      long at = d.assignedAtMillis;
      assignedCount++;
      firstAssigned = Math.min(firstAssigned, at);
      lastAssigned = Math.max(lastAssigned, at);
      long runningAt = d.runningAtMillis;
      if (rolloutId.equals(d.runningRolloutId) && runningAt > 0) {
        runningCount++;
        lastRunning = Math.max(lastRunning, runningAt);
      }
    }
    return new RolloutProgress(rolloutId, assignedCount, runningCount,
        assignedCount == 0 ? null : Instant.ofEpochMilli(firstAssigned),
        assignedCount == 0 ? null : Instant.ofEpochMilli(lastAssigned),
        runningCount == 0 ? null : Instant.ofEpochMilli(lastRunning));
  }

  /** Devices whose RUNNING feedback for build {@code buildKey} was acknowledged. */
  public synchronized long runningOn(String buildKey) {
    return devices.stream().filter(d -> buildKey.equals(d.runningBuildKey)).count();
  }

  // ---- device steps

  /** A token expiring within this margin is renewed before the next call (as the agent does). */
  private static final long RENEW_BEFORE_MILLIS = 60_000;

  private static boolean hasFreshToken(SimulatedDevice d) {
    return d.token != null && d.tokenExpiresAtMillis - RENEW_BEFORE_MILLIS > System.currentTimeMillis();
  }

  private DeviceRegistration registration(SimulatedDevice d) {
    return new DeviceRegistration(d.id, d.id, d.hardware.profile(runtimeVersion), AGENT_VERSION, attributes(d));
  }

  /**
   * Enrols the device (body signed with its key), keeps the token and continues with {@code then}; a pending device
   * asks again at the poll interval, other failures retry after 1-5 s.
   */
  private void enrol(SimulatedDevice d, Runnable then) {
    if (closed) {
      return;
    }
    HttpRequest request;
    try {
      Map<String, Object> body = new java.util.LinkedHashMap<>();
      body.put("deviceId", d.id);
      body.put("publicKey", ArtifactSignatures.toPem(d.key.getPublic()));
      body.put("registration", registration(d));
      body.put("timestamp", Instant.now().toString());
      byte[] bytes = json.writeValueAsBytes(body);
      java.security.Signature signer = java.security.Signature.getInstance(ArtifactSignatures.ALGORITHM);
      signer.initSign(d.key.getPrivate());
      signer.update(bytes);
      request = HttpRequest.newBuilder(config.controlPlaneUrl().resolve("/api/devices/auth"))
          .timeout(config.httpTimeout())
          .header("Content-Type", "application/json")
          .header("Accept", "application/json")
          .header("X-Edgefleet-Signature", Base64.getEncoder().encodeToString(signer.sign()))
          .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
          .build();
    } catch (IOException | java.security.GeneralSecurityException e) {
      throw new SimulatorException(SimulatorErrorCode.INVALID_CONFIG, "cannot build the enrolment of " + d.id, e);
    }
    boolean sent = send(request, (response, error) -> {
      if (error == null && response.statusCode() == 200) {
        try {
          com.fasterxml.jackson.databind.JsonNode n = json.readTree(response.body());
          d.token = n.path("token").asText();
          d.tokenExpiresAtMillis = Instant.parse(n.path("expiresAt").asText()).toEpochMilli();
          schedule(then, 0);
          return;
        } catch (IOException | RuntimeException e) {
          error = e;
        }
      }
      if (error == null && response.statusCode() == 401
          && new String(response.body(), StandardCharsets.UTF_8).contains("device.auth-pending")) {
        pendingEnrolments.incrementAndGet();
        schedule(() -> enrol(d, then), Math.max(1, d.pollIntervalSeconds) * 1000L);
        return;
      }
      registrationErrors.incrementAndGet();
      logError("enrolment of " + d.id, response, error);
      schedule(() -> enrol(d, then), 1000 + ThreadLocalRandom.current().nextLong(4000));
    });
    if (!sent) {
      schedule(() -> enrol(d, then), 10 + ThreadLocalRandom.current().nextLong(40));
    }
  }

  /** Enrolment answers "pending" so far (devices waiting for an admin). */
  public long pendingEnrolments() {
    return pendingEnrolments.get();
  }

  private void register(SimulatedDevice d) {
    if (closed) {
      return;
    }
    if (!hasFreshToken(d)) {
      enrol(d, () -> register(d));
      return;
    }
    DeviceRegistration registration = registration(d);
    HttpRequest request;
    try {
      request = HttpRequest.newBuilder(config.controlPlaneUrl().resolve("/api/devices"))
          .timeout(config.httpTimeout())
          .header("Content-Type", "application/json")
          .header("Accept", "application/json")
          .header("Authorization", "Bearer " + d.token)
          .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(registration)))
          .build();
    } catch (IOException e) {
      throw new SimulatorException(SimulatorErrorCode.INVALID_CONFIG, "cannot serialise the registration of " + d.id, e);
    }
    boolean sent = send(request, (response, error) -> {
      if (error == null && (response.statusCode() == 200 || response.statusCode() == 201)) {
        try {
          DeviceRegistered r = json.readValue(response.body(), DeviceRegistered.class);
          d.hardwareClass = r.hardwareClass();
          d.pollIntervalSeconds = Math.max(1, r.pollIntervalSeconds());
          if (!d.registered) {
            d.registered = true;
            registered.incrementAndGet();
            lastRegisteredAt.set(Instant.now());
          }
          // spread the fleet's polls over one interval
          schedule(() -> poll(d), ThreadLocalRandom.current().nextLong(d.pollIntervalSeconds * 1000L));
          return;
        } catch (IOException e) {
          error = e;
        }
      }
      if (error == null && response.statusCode() == 401) {
        d.token = null;
      }
      registrationErrors.incrementAndGet();
      logError("registration of " + d.id, response, error);
      schedule(() -> register(d), 1000 + ThreadLocalRandom.current().nextLong(4000));
    });
    if (!sent) {
      schedule(() -> register(d), 10 + ThreadLocalRandom.current().nextLong(40));
    }
  }

  /**
   * Registration attributes: the simulated label, the board, and {@code canary=true} on the first device of each
   * hardware class (lets a benchmark build every class's artifact with a small rollout first).
   */
  private Map<String, String> attributes(SimulatedDevice d) {
    Map<String, String> a = new java.util.TreeMap<>();
    a.put("simulated", "true");
    a.put("simulator", "fleet-simulator");
    a.put("hardware", d.hardware.name().toLowerCase(java.util.Locale.ROOT));
    if (d.index < config.hardwareClasses()) {
      a.put("canary", "true");
    }
    return a;
  }

  private void poll(SimulatedDevice d) {
    if (closed) {
      return;
    }
    if (!hasFreshToken(d)) {
      enrol(d, () -> poll(d));
      return;
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(config.controlPlaneUrl().resolve(
            "/api/devices/" + URLEncoder.encode(d.id, StandardCharsets.UTF_8) + "/assignment"))
        .timeout(config.httpTimeout())
        .header("Accept", "application/json")
        .header("Authorization", "Bearer " + d.token)
        .GET();
    if (d.etag != null) {
      b.header("If-None-Match", d.etag);
    }
    boolean sent = send(b.build(), (response, error) -> {
      try {
        if (error == null && response.statusCode() == 304) {
          polls.incrementAndGet();
          notModified.incrementAndGet();
        } else if (error == null && response.statusCode() == 200) {
          polls.incrementAndGet();
          DeviceAssignment a = json.readValue(response.body(), DeviceAssignment.class);
          d.etag = response.headers().firstValue("ETag").orElse(null);
          if (a.pollIntervalSeconds() > 0) {
            d.pollIntervalSeconds = a.pollIntervalSeconds();
          }
          if (a.hasBuild() && !a.buildKey().equals(d.buildKey)) {
            onNewAssignment(d, a);
          } else if (a.hasBuild() && !java.util.Objects.equals(a.rolloutId(), d.rolloutId)) {
            onSameBuildNewRollout(d, a);
          }
        } else {
          if (error == null && response.statusCode() == 401) {
            // token revoked or expired early: enrol again before the next poll
            d.token = null;
          }
          httpErrors.incrementAndGet();
          logError("assignment poll of " + d.id, response, error);
        }
      } catch (IOException | RuntimeException e) {
        httpErrors.incrementAndGet();
        logError("assignment poll of " + d.id, response, e);
      }
      schedule(() -> poll(d), d.pollIntervalSeconds * 1000L);
    });
    if (!sent) {
      schedule(() -> poll(d), 10 + ThreadLocalRandom.current().nextLong(40));
    }
  }

  /**
   * A later rollout assigned the build the device already has: nothing to download; once it runs, RUNNING is reported
   * for the new rollout (otherwise that rollout would wait for the device forever).
   */
  private void onSameBuildNewRollout(SimulatedDevice d, DeviceAssignment a) {
    d.rolloutId = a.rolloutId();
    d.assignedAtMillis = System.currentTimeMillis();
    d.runningAtMillis = 0;
    lastAssignedAt.set(Instant.now());
    if (a.buildKey().equals(d.runningBuildKey)) {
      feedback(d, a, FeedbackStatus.RUNNING, null);
    }
  }

  private void onNewAssignment(SimulatedDevice d, DeviceAssignment a) {
    d.buildKey = a.buildKey();
    d.rolloutId = a.rolloutId();
    d.assignedAtMillis = System.currentTimeMillis();
    d.runningAtMillis = 0;
    if (!d.assigned) {
      d.assigned = true;
      assigned.incrementAndGet();
    }
    Instant now = Instant.now();
    firstAssignedAt.compareAndSet(null, now);
    lastAssignedAt.set(now);
    var timer = d.telemetryTimer;
    if (timer != null) {
      timer.cancel(false);
      d.telemetryTimer = null;
    }
    feedback(d, a, FeedbackStatus.DOWNLOADING, null);
    CompletableFuture<?> download = d.verifiesDownloads
        ? new ArtifactFetcher(http, config.httpTimeout()).getVerified(a.artifactUrl(), a.artifactSha256(), a.sizeBytes())
            .thenRun(downloadsVerified::incrementAndGet)
        : CompletableFuture.completedFuture(null);
    download
        .thenRun(() -> {
          feedback(d, a, FeedbackStatus.DOWNLOADED, null);
          feedback(d, a, FeedbackStatus.INSTALLING, null);
        })
        .thenCompose(v -> profiler.profile(a))
        .whenComplete((profile, error) -> {
          if (!a.buildKey().equals(d.buildKey)) {
            return; // superseded meanwhile
          }
          if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            String reason = cause instanceof SimulatorException se ? se.getMessage()
                : SimulatorErrorCode.DOWNLOAD_FAILED.key() + ": " + cause;
            logError("install of " + a.buildKey() + " on " + d.id, null, cause);
            feedback(d, a, FeedbackStatus.FAILED, reason);
            return;
          }
          // report for the rollout the device is on now (a later rollout may have re-assigned the same build)
          feedback(d, a, FeedbackStatus.RUNNING, null, d.rolloutId);
          d.windowStartMillis = System.currentTimeMillis();
          long period = config.telemetryInterval().toMillis();
          d.telemetryTimer = scheduler.scheduleAtFixedRate(() -> telemetry(d, a, profile),
              ThreadLocalRandom.current().nextLong(period) + 1, period, TimeUnit.MILLISECONDS);
        });
  }

  private void feedback(SimulatedDevice d, DeviceAssignment a, FeedbackStatus status, String reason) {
    feedback(d, a, status, reason, a.rolloutId());
  }

  private void feedback(SimulatedDevice d, DeviceAssignment a, FeedbackStatus status, String reason, String rolloutId) {
    DeviceFeedback f = new DeviceFeedback(d.id, rolloutId, a.buildKey(), status, reason, Instant.now());
    producer.send(new ProducerRecord<>(Topics.DEVICE_FEEDBACK, f.key(), codec.encode(f, d.source)), (meta, error) -> {
      if (error != null) {
        kafkaErrors.incrementAndGet();
        logError("feedback " + status + " of " + d.id, null, error);
        return;
      }
      feedbackSent.incrementAndGet();
      if (status == FeedbackStatus.RUNNING && a.buildKey().equals(d.buildKey)) {
        synchronized (d) {
          if (d.runningBuildKey == null) {
            running.incrementAndGet();
          }
          d.runningBuildKey = a.buildKey();
          d.runningRolloutId = rolloutId;
          if (java.util.Objects.equals(rolloutId, d.rolloutId)) {
            d.runningAtMillis = System.currentTimeMillis();
          }
        }
        lastRunningAt.set(Instant.now());
      } else if (status == FeedbackStatus.FAILED) {
        d.failedBuildKey = a.buildKey();
        failed.incrementAndGet();
      }
    });
  }

  private void telemetry(SimulatedDevice d, DeviceAssignment a, LatencyProfile profile) {
    if (closed || !a.buildKey().equals(d.buildKey)) {
      return;
    }
    try {
      long end = System.currentTimeMillis();
      long start = d.windowStartMillis;
      d.windowStartMillis = end;
      int n = (int) Math.max(1, (end - start) / config.inferenceInterval().toMillis());
      ThreadLocalRandom random = ThreadLocalRandom.current();
      Histogram h = windowHistogram.get();
      h.reset();
      for (int i = 0; i < n; i++) {
        h.recordValue(profile.sampleMicros(random));
      }
      long labelled = Double.isNaN(profile.top1Accuracy()) ? 0 : n;
      long correct = binomial(labelled, profile.top1Accuracy(), random);
      long reference = Double.isNaN(profile.agreementWithFloat()) ? 0 : n;
      long agreeing = binomial(reference, profile.agreementWithFloat(), random);
      LatencyStats latency = new LatencyStats(h.getTotalCount(), h.getValueAtPercentile(50), h.getValueAtPercentile(95),
          h.getValueAtPercentile(99), h.getMaxValue(), h.getMean(), encode(h));
      InferenceTelemetry t = new InferenceTelemetry(d.id, d.nextSequence(), a.buildKey(), a.rolloutId(), d.hardwareClass,
          Instant.ofEpochMilli(start), Instant.ofEpochMilli(end), latency, labelled, correct, reference, agreeing, 0, 1, null);
      producer.send(new ProducerRecord<>(Topics.TELEMETRY, t.key(), codec.encode(t, d.source)), (meta, error) -> {
        if (error != null) {
          kafkaErrors.incrementAndGet();
          logError("telemetry of " + d.id, null, error);
        } else {
          telemetrySent.incrementAndGet();
        }
      });
    } catch (RuntimeException e) {
      // a failing window must not cancel the device's timer (scheduleAtFixedRate stops on exceptions)
      kafkaErrors.incrementAndGet();
      logError("telemetry of " + d.id, null, e);
    }
  }

  private String encode(Histogram h) {
    ByteBuffer buffer = encodeBuffer.get();
    int needed = h.getNeededByteBufferCapacity();
    if (buffer == null || buffer.capacity() < needed) {
      buffer = ByteBuffer.allocate(needed);
      encodeBuffer.set(buffer);
    }
    buffer.clear();
    int length = h.encodeIntoCompressedByteBuffer(buffer);
    byte[] out = new byte[length];
    buffer.flip();
    buffer.get(out);
    return Base64.getEncoder().encodeToString(out);
  }

  private static long binomial(long n, double p, ThreadLocalRandom random) {
    long hits = 0;
    for (long i = 0; i < n; i++) {
      if (random.nextDouble() < p) {
        hits++;
      }
    }
    return hits;
  }

  // ---- plumbing

  /** Sends if an in-flight slot is free; the handler runs on the HTTP executor. False if the bound was reached. */
  private boolean send(HttpRequest request, BiConsumer<HttpResponse<byte[]>, Throwable> handler) {
    if (!inFlight.tryAcquire()) {
      deferred.incrementAndGet();
      return false;
    }
    try {
      http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((response, error) -> {
        inFlight.release();
        handler.accept(response, error);
      });
      return true;
    } catch (RuntimeException e) {
      inFlight.release();
      throw e;
    }
  }

  private void schedule(Runnable step, long delayMillis) {
    if (!closed) {
      scheduler.schedule(step, delayMillis, TimeUnit.MILLISECONDS);
    }
  }

  private void logError(String what, HttpResponse<byte[]> response, Throwable error) {
    if (loggedErrors.incrementAndGet() > MAX_LOGGED_ERRORS) {
      return;
    }
    String detail = error != null ? String.valueOf(error)
        : response == null ? "?" : "HTTP " + response.statusCode() + " " + new String(response.body(), StandardCharsets.UTF_8);
    LOG.log(Level.WARNING, "{0} failed: {1}{2}", new Object[] {what, detail,
        loggedErrors.get() == MAX_LOGGED_ERRORS ? " (further errors are only counted)" : ""});
  }

  private static int mix(int i) {
    int h = i * 0x9E3779B9;
    return h ^ (h >>> 16);
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Stops every device, flushes and closes the producer. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(java.time.Duration.ofSeconds(10));
    measuring.shutdownNow();
    httpExecutor.shutdownNow();
  }
}
