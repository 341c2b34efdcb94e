package io.edgefleet.agent;

import io.edgefleet.agent.assignment.AssignmentHandler;
import io.edgefleet.agent.assignment.AssignmentPoll;
import io.edgefleet.agent.assignment.ControlPlaneClient;
import io.edgefleet.agent.auth.DeviceKey;
import io.edgefleet.agent.assignment.InstallOutcome;
import io.edgefleet.agent.config.AgentConfig;
import io.edgefleet.agent.download.ArtifactDownloader;
import io.edgefleet.agent.download.TrustedKeys;
import io.edgefleet.agent.hardware.HardwareIntrospector;
import io.edgefleet.agent.hardware.RegisteredProfile;
import io.edgefleet.agent.health.ActivationHealth;
import io.edgefleet.agent.health.HealthVerdict;
import io.edgefleet.agent.health.RejectedBuilds;
import io.edgefleet.agent.inference.ServingLoop;
import io.edgefleet.agent.inference.ServingModel;
import io.edgefleet.agent.slots.ActiveState;
import io.edgefleet.agent.slots.SlotManager;
import io.edgefleet.agent.slots.SlotManifest;
import io.edgefleet.agent.telemetry.EventPublisher;
import io.edgefleet.agent.telemetry.SequenceStore;
import io.edgefleet.agent.telemetry.TelemetrySpool;
import io.edgefleet.schemas.api.DeviceAssignment;
import io.edgefleet.schemas.api.DeviceRegistered;
import io.edgefleet.schemas.api.DeviceRegistration;
import io.edgefleet.schemas.api.HardwareClass;
import io.edgefleet.schemas.api.HardwareProfile;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.schemas.events.DeviceFeedback;
import io.edgefleet.schemas.events.FeedbackStatus;
import java.lang.System.Logger.Level;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One device agent. {@link #start(AgentConfig)} restores the active A/B slot (serving resumes at once, even offline),
 * then registers with the control plane (retrying with backoff), polls the assignment with its ETag at the
 * server-set interval, installs new builds, serves the active model and streams telemetry. Several agents can run in
 * one JVM: all state is per instance.
 *
 * <p>After a new build is activated (or after a restart while its health was not yet confirmed) the control thread
 * watches the serving loop for {@code health.window}; a build failing the {@link io.edgefleet.agent.health.HealthPolicy}
 * is rolled back to the previous slot and reported ROLLED_BACK. Every {@code hardware.check-interval} the host is
 * introspected again and registered again if its profile differs from the last registered one.
 */
public final class Agent implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Agent.class.getName());
  /** Transient install failures of one build tolerated before it is reported FAILED. */
  static final int MAX_INSTALL_ATTEMPTS = 5;
  private static final Duration MIN_BACKOFF = Duration.ofMillis(500);

  private final AgentConfig config;
  private final Clock clock;
  private final HardwareIntrospector introspector;
  private final Path registrationFile;
  private final RejectedBuilds rejected;
  private volatile HardwareProfile hardware;
  private volatile String hardwareClass;
  private final ControlPlaneClient controlPlane;
  private final SlotManager slots;
  private final EventPublisher publisher;
  private final ServingLoop serving;
  private final AssignmentHandler installer;
  private final ScheduledExecutorService control;

  // confined to the control thread (volatile for status())
  private volatile boolean registered;
  private volatile Duration pollInterval;
  private volatile String lastFailure;
  private volatile FeedbackStatus lastFeedback;
  private String etag;
  private Duration backoff = MIN_BACKOFF;
  private final Map<String, Integer> attempts = new HashMap<>();
  private String givenUpKey;
  private String runningReportedFor;
  private String registeredFingerprint;
  private boolean hardwareCheckScheduled;
  private HealthWatch watch;
  private volatile boolean closed;

  /** The health window of one activation (control thread). */
  private record HealthWatch(SlotManifest build, Instant startedAt) {}

  private Agent(AgentConfig config, Clock clock, HardwareIntrospector introspector) {
    this.config = config;
    this.clock = clock;
    this.introspector = introspector;
    Path dataDir = config.dataDir();
    try {
      Files.createDirectories(dataDir.resolve("downloads"));
    } catch (java.io.IOException e) {
      throw new AgentException(AgentErrorCode.SLOT_IO_FAILED, "cannot create data directory " + dataDir + ": " + e, e);
    }
    TrustedKeys keys = TrustedKeys.load(config.trustedKeyPaths());
    this.hardware = introspector.introspect(dataDir, config.accelerator());
    this.hardwareClass = HardwareClass.of(hardware);
    this.registrationFile = dataDir.resolve("registration.json");
    this.rejected = new RejectedBuilds(dataDir.resolve("health-rejected-builds"));
    Optional<RegisteredProfile> last;
    try {
      last = RegisteredProfile.load(registrationFile);
    } catch (AgentException e) {
      // only a record of the last registration: the start registers anyway and rewrites it
      LOG.log(Level.WARNING, "{0}: ignoring the last registration record: {1}", config.deviceId(), e.reason());
      last = Optional.empty();
    }
    if (last.isPresent() && !last.get().fingerprint().equals(RegisteredProfile.fingerprint(hardware, AgentVersion.current()))) {
      LOG.log(Level.INFO, "{0}: hardware or agent changed since the last registration ({1} -> {2}); registering the new profile",
          config.deviceId(), last.get().hardwareClass(), hardwareClass);
    }
    HttpClient http =
        HttpClient.newBuilder().connectTimeout(config.httpTimeout()).followRedirects(HttpClient.Redirect.NORMAL).build();
    DeviceKey deviceKey = DeviceKey.loadOrCreate(dataDir);
    LOG.log(Level.INFO, "{0}: device key {1} (public key in {2})", new Object[] {config.deviceId(), deviceKey.keyId(),
        dataDir.resolve("identity").resolve("device-key.pub.pem")});
    this.controlPlane = new ControlPlaneClient(http, config.controlPlaneUrl(), config.httpTimeout(), deviceKey, clock);
    this.slots = new SlotManager(dataDir.resolve("slots"), clock);
    SequenceStore sequences = new SequenceStore(dataDir.resolve("telemetry.sequence"));
    TelemetrySpool spool = new TelemetrySpool(dataDir.resolve("spool"), config.spoolMaxBytes());
    this.publisher =
        new EventPublisher(spool, newProducer(config), new EventCodec(clock), "edgefleet/edge-agent/" + config.deviceId());
    this.serving =
        new ServingLoop(
            config.deviceId(),
            hardwareClass,
            config.interpreterThreads(),
            config.warmupRuns(),
            sequences,
            publisher::publish,
            clock,
            config.profile());
    this.installer =
        new AssignmentHandler(
            config.deviceId(),
            dataDir.resolve("downloads"),
            new ArtifactDownloader(http, config.httpTimeout()),
            keys,
            slots,
            this::serve,
            this::feedback,
            config.interpreterThreads(),
            config.smokeMaxSamples(),
            clock);
    this.pollInterval = config.defaultPollInterval();
    this.control =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "edge-agent-control-" + config.deviceId());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts an agent: restores the active slot, starts serving, registration and polling in the background.
   *
   * @throws AgentException if the configuration's keys are unusable or the data directory cannot be prepared
   */
  public static Agent start(AgentConfig config) {
    return start(config, Clock.systemUTC());
  }

  static Agent start(AgentConfig config, Clock clock) {
    return start(config, clock, new HardwareIntrospector());
  }

  static Agent start(AgentConfig config, Clock clock, HardwareIntrospector introspector) {
    Agent agent = new Agent(config, clock, introspector);
    try {
      agent.restore();
      agent.serving.start(config.inferenceInterval(), config.telemetryInterval());
      agent.schedule(agent::register, Duration.ZERO);
      LOG.log(Level.INFO, "{0}: started, hardware class {1}, data in {2}", config.deviceId(), agent.hardwareClass, config.dataDir());
      return agent;
    } catch (RuntimeException e) {
      agent.close();
      throw e;
    }
  }

  public AgentConfig config() {
    return config;
  }

  /** The hardware profile sent on registration. */
  public HardwareProfile hardware() {
    return hardware;
  }

  public String hardwareClass() {
    return hardwareClass;
  }

  public AgentStatus status() {
    return new AgentStatus(
        config.deviceId(),
        registered,
        hardwareClass,
        serving.currentBuildKey(),
        lastFeedback,
        lastFailure,
        serving.totalInferences(),
        serving.totalErrors(),
        serving.batchesEmitted(),
        publisher.deliveredCount(),
        publisher.droppedCount(),
        publisher.lastError());
  }

  /** Serves the slot named by active.json; falls back to the previous slot if the active one is damaged. */
  private void restore() {
    Optional<ActiveState> state = slots.active();
    if (state.isEmpty()) {
      return;
    }
    SlotManifest active = state.get().active();
    try {
      if (!slots.intact(active)) {
        throw new AgentException(AgentErrorCode.SLOT_IO_FAILED, "active slot " + active.slot() + " is damaged");
      }
      serve(load(active));
      runningReportedFor = null;
      if (!state.get().healthConfirmed()) {
        // e.g. restarted inside the health window of a new build: watch it again from the start
        startHealthWatch(active);
      }
    } catch (AgentException e) {
      LOG.log(Level.ERROR, "{0}: cannot serve active build {1}: {2}", config.deviceId(), active.buildKey(), e.reason());
      Optional<ActiveState> rolledBack = slots.rollback();
      if (rolledBack.isEmpty()) {
        lastFailure = e.reason();
        return;
      }
      SlotManifest previous = rolledBack.get().active();
      try {
        serve(load(previous));
      } catch (AgentException previousFailed) {
        // neither slot can serve: keep running without a model until a new assignment installs one
        lastFailure = e.reason() + "; previous slot unusable too: " + previousFailed.reason();
        LOG.log(Level.ERROR, "{0}: {1}", config.deviceId(), lastFailure);
        return;
      }
      feedback(
          new DeviceFeedback(
              config.deviceId(), active.rolloutId(), active.buildKey(), FeedbackStatus.ROLLED_BACK,
              e.reason() + "; serving previous build " + previous.buildKey() + " from slot " + previous.slot(),
              clock.instant()));
    }
  }

  private ServingModel load(SlotManifest m) {
    return ServingModel.load(
        m.buildKey(),
        m.rolloutId(),
        slots.modelFile(m),
        m.hasEvalSet() ? slots.evalFile(m) : null,
        m.hasReference() ? slots.referenceFile(m) : null,
        config.interpreterThreads());
  }

  private void serve(ServingModel model) {
    try {
      serving.activate(model).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentException(AgentErrorCode.SLOT_IO_FAILED, "interrupted while switching the served model", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new AgentException(AgentErrorCode.SLOT_IO_FAILED, "the serving loop did not take the new model: " + e, e);
    }
  }

  private void feedback(DeviceFeedback f) {
    lastFeedback = f.status();
    publisher.publish(f);
  }

  private void register() {
    if (closed) {
      return;
    }
    try {
      sendRegistration();
      backoff = MIN_BACKOFF;
      schedule(this::poll, Duration.ZERO);
      if (!hardwareCheckScheduled) {
        hardwareCheckScheduled = true;
        schedule(this::checkHardware, config.hardwareCheckInterval());
      }
    } catch (AgentException e) {
      lastFailure = e.reason();
      if (e.code() == AgentErrorCode.DEVICE_AUTH_PENDING) {
        LOG.log(Level.INFO, "{0}: enrolment pending: {1}; an admin must accept it (or preauthorise the key); asking "
            + "again in {2}", new Object[] {config.deviceId(), e.reason(), pollInterval});
        schedule(this::register, pollInterval);
      } else if (e.code() == AgentErrorCode.DEVICE_AUTH_REJECTED) {
        LOG.log(Level.WARNING, "{0}: enrolment rejected: {1}; asking again in {2} in case an admin accepts it later",
            new Object[] {config.deviceId(), e.reason(), config.registerMaxBackoff()});
        schedule(this::register, config.registerMaxBackoff());
      } else {
        LOG.log(Level.WARNING, "{0}: registration failed, retrying in {1}: {2}", new Object[] {config.deviceId(),
            backoff, e.reason()});
        schedule(this::register, nextBackoff());
      }
    }
  }

  /** Registers the current hardware profile and records its fingerprint. */
  private void sendRegistration() {
    HardwareProfile profile = hardware;
    DeviceRegistered r =
        controlPlane.register(
            new DeviceRegistration(
                config.deviceId(), config.name(), profile, AgentVersion.current(), config.registrationAttributes()));
    registered = true;
    if (r.pollIntervalSeconds() > 0) {
      pollInterval = Duration.ofSeconds(r.pollIntervalSeconds());
    }
    registeredFingerprint = RegisteredProfile.fingerprint(profile, AgentVersion.current());
    new RegisteredProfile(registeredFingerprint, HardwareClass.of(profile), AgentVersion.current(), clock.instant())
        .save(registrationFile);
    LOG.log(Level.INFO, "{0}: registered as hardware class {1}", config.deviceId(), r.hardwareClass());
  }

  /**
   * Introspects the host again; registers again when the profile (or the declared accelerator) differs from the last
   * registered one. A failed re-registration is retried at the next check.
   */
  private void checkHardware() {
    if (closed) {
      return;
    }
    try {
      HardwareProfile now = introspector.introspect(config.dataDir(), config.accelerator());
      if (!RegisteredProfile.fingerprint(now, AgentVersion.current()).equals(registeredFingerprint)) {
        String before = hardwareClass;
        hardware = now;
        hardwareClass = HardwareClass.of(now);
        serving.hardwareClass(hardwareClass);
        LOG.log(Level.INFO, "{0}: hardware changed ({1} -> {2}), registering again", config.deviceId(), before, hardwareClass);
        sendRegistration();
      }
    } catch (AgentException e) {
      lastFailure = e.reason();
      LOG.log(Level.WARNING, "{0}: hardware check or re-registration failed, retried at the next check: {1}",
          config.deviceId(), e.reason());
    }
    schedule(this::checkHardware, config.hardwareCheckInterval());
  }

  private void startHealthWatch(SlotManifest build) {
    if (!config.health().enabled()) {
      slots.confirmHealthy(build.buildKey());
      return;
    }
    HealthWatch w = new HealthWatch(build, clock.instant());
    watch = w;
    schedule(() -> checkHealth(w), healthCadence());
  }

  private Duration healthCadence() {
    Duration d = config.health().window().dividedBy(20);
    Duration min = Duration.ofMillis(100);
    Duration max = Duration.ofSeconds(1);
    return d.compareTo(min) < 0 ? min : d.compareTo(max) > 0 ? max : d;
  }

  private void checkHealth(HealthWatch w) {
    if (closed || watch != w) {
      return; // superseded by a newer activation
    }
    ActivationHealth h = serving.activationHealth();
    if (h == null || !h.buildKey().equals(w.build().buildKey())) {
      watch = null;
      return;
    }
    HealthVerdict verdict =
        config.health().judge(h.attempts(), h.failures(), Duration.between(w.startedAt(), clock.instant()));
    if (verdict instanceof HealthVerdict.Pending) {
      schedule(() -> checkHealth(w), healthCadence());
      return;
    }
    watch = null;
    if (verdict instanceof HealthVerdict.Healthy) {
      HealthVerdict.Healthy ok = (HealthVerdict.Healthy) verdict;
      slots.confirmHealthy(w.build().buildKey());
      LOG.log(Level.INFO, "{0}: build {1} passed its health window ({2} inferences, {3} failed)",
          config.deviceId(), w.build().buildKey(), ok.attempts(), ok.failures());
      return;
    }
    if (verdict instanceof HealthVerdict.Unhealthy) {
      rollBackUnhealthy(w.build(), ((HealthVerdict.Unhealthy) verdict).reason());
      return;
    }
    throw new IllegalStateException("unknown health verdict " + verdict);
  }

  /** Switches back to the previous slot after a failed health window and reports it. */
  private void rollBackUnhealthy(SlotManifest bad, String why) {
    String reason = AgentErrorCode.HEALTH_CHECK_FAILED.key() + ": " + why;
    LOG.log(Level.ERROR, "{0}: build {1} {2}", config.deviceId(), bad.buildKey(), reason);
    rejected.add(bad.rolloutId(), bad.buildKey());
    lastFailure = reason;
    Optional<ActiveState> back = slots.rollback();
    if (back.isEmpty()) {
      // first install on this device: there is nothing to go back to, the build keeps serving
      feedback(new DeviceFeedback(config.deviceId(), bad.rolloutId(), bad.buildKey(), FeedbackStatus.FAILED,
          reason + "; no intact previous build to roll back to", clock.instant()));
      return;
    }
    SlotManifest previous = back.get().active();
    try {
      serve(load(previous));
    } catch (AgentException e) {
      lastFailure = reason + "; previous build " + previous.buildKey() + " unusable too: " + e.reason();
      feedback(new DeviceFeedback(config.deviceId(), bad.rolloutId(), bad.buildKey(), FeedbackStatus.FAILED, lastFailure,
          clock.instant()));
      return;
    }
    runningReportedFor = null;
    feedback(new DeviceFeedback(config.deviceId(), bad.rolloutId(), bad.buildKey(), FeedbackStatus.ROLLED_BACK,
        reason + "; serving previous build " + previous.buildKey() + " from slot " + previous.slot(), clock.instant()));
  }

  private void poll() {
    if (closed) {
      return;
    }
    Duration delay = pollInterval;
    try {
      AssignmentPoll result = controlPlane.fetchAssignment(config.deviceId(), etag);
      backoff = MIN_BACKOFF;
      if (result instanceof AssignmentPoll.Changed) {
        AssignmentPoll.Changed changed = (AssignmentPoll.Changed) result;
        DeviceAssignment a = changed.assignment();
        if (a.pollIntervalSeconds() > 0) {
          pollInterval = Duration.ofSeconds(a.pollIntervalSeconds());
          delay = pollInterval;
        }
        etag = changed.etag();
        if (!handle(a)) {
          // transient install failure: ask again soon, without the ETag so that fresh presigned URLs come back
          etag = null;
          delay = nextBackoff();
        }
      } else if (!(result instanceof AssignmentPoll.Unchanged)) {
        throw new IllegalStateException("unknown poll result " + result);
      }
    } catch (AgentException e) {
      lastFailure = e.reason();
      if (e.code() == AgentErrorCode.CONTROL_PLANE_REJECTED || e.code() == AgentErrorCode.DEVICE_AUTH_PENDING
          || e.code() == AgentErrorCode.DEVICE_AUTH_REJECTED) {
        // e.g. the control plane forgot the device, or its key was rejected: register (and enrol) again
        LOG.log(Level.WARNING, "{0}: assignment poll rejected, registering again: {1}", config.deviceId(), e.reason());
        registered = false;
        schedule(this::register, nextBackoff());
        return;
      }
      LOG.log(Level.WARNING, "{0}: assignment poll failed: {1}", config.deviceId(), e.reason());
      delay = nextBackoff();
    }
    schedule(this::poll, delay);
  }

  /** Acts on an assignment; false when a transient failure asks for a quick retry. */
  private boolean handle(DeviceAssignment a) {
    if (!a.hasBuild()) {
      return true;
    }
    // RUNNING acknowledges one desired state (revision, rollout, build): a new rollout or revision that targets the
    // build already running here must hear RUNNING too, or its progress would wait for this device forever
    String desiredState = a.revision() + "/" + a.rolloutId() + "/" + a.buildKey();
    if (a.buildKey().equals(serving.currentBuildKey())) {
      if (!desiredState.equals(runningReportedFor)) {
        // e.g. after a restart between the switch and the feedback, or a later rollout of the same build
        feedback(new DeviceFeedback(config.deviceId(), a.rolloutId(), a.buildKey(), FeedbackStatus.RUNNING, null, clock.instant()));
        runningReportedFor = desiredState;
      }
      return true;
    }
    String attemptKey = a.revision() + "/" + a.buildKey();
    if (attemptKey.equals(givenUpKey)) {
      return true; // rejected at this revision; a new revision retries
    }
    if (rejected.contains(a.rolloutId(), a.buildKey())) {
      // rolled back after its health window (reported then); a new rollout of the build installs it again
      LOG.log(Level.INFO, "{0}: not installing build {1} of rollout {2} again: it failed its health window here",
          config.deviceId(), a.buildKey(), a.rolloutId());
      givenUpKey = attemptKey;
      return true;
    }
    int attempt = attempts.merge(attemptKey, 1, Integer::sum);
    InstallOutcome outcome = installer.install(a, attempt >= MAX_INSTALL_ATTEMPTS);
    if (outcome instanceof InstallOutcome.Installed) {
      attempts.clear();
      runningReportedFor = desiredState;
      lastFailure = null;
      startHealthWatch(((InstallOutcome.Installed) outcome).slot());
      return true;
    }
    if (outcome instanceof InstallOutcome.Retry) {
      lastFailure = ((InstallOutcome.Retry) outcome).cause().reason();
      return false;
    }
    if (outcome instanceof InstallOutcome.Failed) {
      attempts.clear();
      givenUpKey = attemptKey;
      lastFailure = ((InstallOutcome.Failed) outcome).cause().reason();
      return true;
    }
    throw new IllegalStateException("unknown install outcome " + outcome);
  }

  private Duration nextBackoff() {
    Duration current = backoff;
    Duration doubled = backoff.multipliedBy(2);
    backoff = doubled.compareTo(config.registerMaxBackoff()) > 0 ? config.registerMaxBackoff() : doubled;
    return current;
  }

  private void schedule(Runnable task, Duration delay) {
    if (closed) {
      return;
    }
    try {
      control.schedule(() -> runSafely(task), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      if (!closed) {
        throw e;
      }
    }
  }

  private void runSafely(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException | LinkageError e) {
      // a bug, an unexpected runtime failure or a native library that cannot load must not end the control loop
      // silently (a scheduled executor would keep the throwable in a future nobody reads): log, record, retry later
      lastFailure = e.toString();
      LOG.log(Level.ERROR, config.deviceId() + ": control loop task failed, retrying it", e);
      // retry the task itself (poll, registration, hardware or health check): each one keeps its own chain going
      schedule(task, nextBackoff());
    } catch (Error e) {
      // e.g. OutOfMemoryError: the process is not trustworthy any more; make it visible, then let it propagate
      LOG.log(Level.ERROR, config.deviceId() + ": control loop stopped by a fatal error", e);
      throw e;
    }
  }

  /** Stops polling and serving; undelivered events stay in the spool for the next start. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    control.shutdownNow();
    try {
      if (!control.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.log(Level.WARNING, "{0}: control thread did not stop within 30 s", config.deviceId());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    serving.close();
    publisher.close();
  }

  private static KafkaProducer<String, byte[]> newProducer(AgentConfig config) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "edge-agent-" + config.deviceId());
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
    p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "10000");
    p.putAll(config.kafkaProducerOverrides());
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }
}
