package io.edgefleet.agent.inference;

import io.edgefleet.agent.AgentException;
import io.edgefleet.agent.health.ActivationHealth;
import io.edgefleet.agent.profile.OpProfile;
import io.edgefleet.agent.profile.OpProfiler;
import io.edgefleet.agent.profile.ProfileSettings;
import io.edgefleet.agent.telemetry.SequenceStore;
import io.edgefleet.quantization.QuantizationException;
import io.edgefleet.schemas.events.InferenceTelemetry;
import io.edgefleet.schemas.events.LatencyStats;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * Serves the active model: runs one inference on the next evaluation sample (round-robin) every inference interval,
 * times it with {@link System#nanoTime()} into an HDR histogram (warm-up runs after each activation excluded), counts
 * labelled / correct / reference / agreeing / errors, and every telemetry interval emits an {@link InferenceTelemetry}
 * batch. Everything runs on one thread, so model swaps never race with inferences.
 *
 * <p>With {@code profile.interval} set, the same thread takes a per-operator profile of the served build every
 * interval ({@link OpProfiler}: a separate interpreter of the same model, threads and kernels, so the profiled runs are
 * never part of the latency histogram and serving pauses while it runs); the next telemetry batch of that build carries
 * it in {@link InferenceTelemetry#opProfile()}.
 */
public final class ServingLoop implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ServingLoop.class.getName());
  /** Highest trackable latency: 60 s in microseconds; longer inferences are recorded as 60 s. */
  static final long MAX_MICROS = 60_000_000L;

  private final String deviceId;
  private volatile String hardwareClass;
  private final int threads;
  private final int warmupRuns;
  private final SequenceStore sequences;
  private final Consumer<InferenceTelemetry> sink;
  private final Clock clock;
  private final ScheduledExecutorService executor;
  private final AtomicLong totalInferences = new AtomicLong();
  private final AtomicLong totalErrors = new AtomicLong();
  private final AtomicLong batchesEmitted = new AtomicLong();
  private final ProfileSettings profileSettings;
  /** Null when profiling is off. */
  private final OpProfiler profiler;
  private final AtomicLong profilesTaken = new AtomicLong();
  private final AtomicLong profileFailures = new AtomicLong();
  private volatile OpProfile lastProfile;

  // confined to the executor thread
  private ServingModel current;
  private int next;
  private int warmupLeft;
  private final Histogram histogram = new Histogram(1, MAX_MICROS, 3);
  private Instant windowStart;
  private long labelled;
  private long correct;
  private long referenceCount;
  private long agreement;
  private long errors;
  private OpProfile pendingProfile;
  private String profileLoggedFor;
  private volatile String currentBuildKey;
  /** Counters of the current activation (replaced on each swap, read by the health check). */
  private volatile Activation activation;

  /** Health counters of one activation; written by the serving thread only. */
  private static final class Activation {
    final String buildKey;
    final AtomicLong attempts = new AtomicLong();
    final AtomicLong failures = new AtomicLong();

    Activation(String buildKey) {
      this.buildKey = buildKey;
    }
  }

  public ServingLoop(
      String deviceId,
      String hardwareClass,
      int threads,
      int warmupRuns,
      SequenceStore sequences,
      Consumer<InferenceTelemetry> sink,
      Clock clock) {
    this(deviceId, hardwareClass, threads, warmupRuns, sequences, sink, clock, ProfileSettings.off());
  }

  /** A serving loop that also profiles the served model per operator as {@code profile} says. */
  public ServingLoop(
      String deviceId,
      String hardwareClass,
      int threads,
      int warmupRuns,
      SequenceStore sequences,
      Consumer<InferenceTelemetry> sink,
      Clock clock,
      ProfileSettings profile) {
    this.profileSettings = Objects.requireNonNull(profile);
    this.profiler = profile.enabled() ? new OpProfiler(clock) : null;
    this.deviceId = Objects.requireNonNull(deviceId);
    this.hardwareClass = hardwareClass;
    this.threads = threads;
    this.warmupRuns = warmupRuns;
    this.sequences = Objects.requireNonNull(sequences);
    this.sink = Objects.requireNonNull(sink);
    this.clock = Objects.requireNonNull(clock);
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "edge-agent-serving-" + deviceId);
              t.setDaemon(true);
              return t;
            });
    this.windowStart = clock.instant();
  }

  /** Starts the inference and telemetry schedules. */
  public void start(Duration inferenceInterval, Duration telemetryInterval) {
    executor.scheduleWithFixedDelay(this::inferenceTick, 0, inferenceInterval.toNanos(), TimeUnit.NANOSECONDS);
    executor.scheduleAtFixedRate(
        this::telemetryTick, telemetryInterval.toNanos(), telemetryInterval.toNanos(), TimeUnit.NANOSECONDS);
    if (profiler != null) {
      long every = profileSettings.interval().toNanos();
      executor.scheduleWithFixedDelay(this::profileTick, every, every, TimeUnit.NANOSECONDS);
    }
  }

  /**
   * Swaps the served model: the current window is emitted for the old build, then the new model serves and the old
   * one is closed. The returned future completes once the swap happened.
   */
  public CompletableFuture<Void> activate(ServingModel model) {
    return CompletableFuture.runAsync(
        () -> {
          emitWindow();
          ServingModel old = current;
          current = model;
          currentBuildKey = model.buildKey();
          activation = new Activation(model.buildKey());
          next = 0;
          warmupLeft = warmupRuns;
          if (old != null) {
            old.close();
          }
          LOG.log(Level.INFO, "{0}: serving {1}", deviceId, model);
        },
        executor);
  }

  /** Build key being served, null when none. */
  public String currentBuildKey() {
    return currentBuildKey;
  }

  /** Inferences and failures of the current model since it was activated, null when nothing is served. */
  public ActivationHealth activationHealth() {
    Activation a = activation;
    if (a == null) {
      return null;
    }
    // failures first: a concurrent inference may add an attempt in between, never a failure without its attempt
    long failures = a.failures.get();
    long attempts = a.attempts.get();
    return new ActivationHealth(a.buildKey, Math.max(attempts, failures), failures);
  }

  /** The hardware class put into telemetry from now on (after a re-registration with changed hardware). */
  public void hardwareClass(String hardwareClass) {
    this.hardwareClass = hardwareClass;
  }

  /** Measured inferences since start (warm-up excluded). */
  public long totalInferences() {
    return totalInferences.get();
  }

  /** Failed or non-finite inferences since start. */
  public long totalErrors() {
    return totalErrors.get();
  }

  public long batchesEmitted() {
    return batchesEmitted.get();
  }

  /** The last per-operator profile taken, null when none (or profiling is off). */
  public OpProfile lastProfile() {
    return lastProfile;
  }

  /** Profiles taken since start. */
  public long profilesTaken() {
    return profilesTaken.get();
  }

  /** Profiles that failed since start (serving continues; logged). */
  public long profileFailures() {
    return profileFailures.get();
  }

  private void profileTick() {
    ServingModel model = current;
    if (model == null) {
      return;
    }
    try {
      OpProfile p = profiler.profile(
          model.buildKey(), model.readModel(), model.inputs(), model.threads(), profileSettings.kernels(),
          profileSettings.runs());
      pendingProfile = p;
      lastProfile = p;
      profilesTaken.incrementAndGet();
      if (!model.buildKey().equals(profileLoggedFor)) {
        profileLoggedFor = model.buildKey();
        LOG.log(Level.INFO, "{0}: {1}", deviceId, p.describe());
      } else {
        LOG.log(Level.DEBUG, "{0}: {1}", deviceId, p.describe());
      }
    } catch (AgentException | QuantizationException | LinkageError e) {
      // the profile is optional: serving goes on; counted, the first failure logged as a warning, later ones at debug
      if (profileFailures.getAndIncrement() == 0) {
        LOG.log(Level.WARNING, deviceId + ": per-operator profile of " + model.buildKey() + " failed; retried at the next interval", e);
      } else {
        LOG.log(Level.DEBUG, deviceId + ": per-operator profile failed again: " + e);
      }
    }
  }

  private void inferenceTick() {
    ServingModel model = current;
    if (model == null) {
      return;
    }
    Activation health = activation;
    int i = next;
    next = (next + 1) % model.sampleCount();
    long start = System.nanoTime();
    float[] out;
    try {
      out = model.infer(i);
    } catch (QuantizationException | IllegalStateException e) {
      health.failures.incrementAndGet();
      health.attempts.incrementAndGet();
      errors++;
      if (totalErrors.getAndIncrement() == 0) {
        LOG.log(Level.WARNING, deviceId + ": inference failed on sample " + i + " of " + model.buildKey(), e);
      }
      return;
    }
    long micros = Math.max(1, (System.nanoTime() - start) / 1_000L);
    int top1 = ServingModel.argmax(out);
    if (top1 < 0) {
      health.failures.incrementAndGet();
    }
    health.attempts.incrementAndGet();
    if (warmupLeft > 0) {
      warmupLeft--;
      return;
    }
    if (top1 < 0) {
      errors++;
      totalErrors.incrementAndGet();
      return;
    }
    histogram.recordValue(Math.min(micros, MAX_MICROS));
    totalInferences.incrementAndGet();
    if (model.label(i) >= 0) {
      labelled++;
      if (model.label(i) == top1) {
        correct++;
      }
    }
    if (model.hasReference()) {
      referenceCount++;
      if (model.referenceTop1(i) == top1) {
        agreement++;
      }
    }
  }

  private void telemetryTick() {
    try {
      emitWindow();
    } catch (AgentException e) {
      // the spool is unwritable: the batch is lost, say so and keep serving
      LOG.log(Level.ERROR, deviceId + ": telemetry batch lost: " + e.reason(), e);
    }
  }

  private void emitWindow() {
    Instant end = clock.instant();
    ServingModel model = current;
    try {
      if (model == null || (histogram.getTotalCount() == 0 && errors == 0)) {
        return;
      }
      LatencyStats latency =
          new LatencyStats(
              histogram.getTotalCount(),
              histogram.getValueAtPercentile(50),
              histogram.getValueAtPercentile(95),
              histogram.getValueAtPercentile(99),
              histogram.getTotalCount() == 0 ? 0 : histogram.getMaxValue(),
              histogram.getTotalCount() == 0 ? 0 : histogram.getMean(),
              encode(histogram));
      OpProfile profile = pendingProfile;
      InferenceTelemetry t =
          new InferenceTelemetry(
              deviceId, sequences.next(), model.buildKey(), model.rolloutId(), hardwareClass, windowStart, end, latency,
              labelled, correct, referenceCount, agreement, errors, threads,
              profile != null && profile.buildKey().equals(model.buildKey()) ? profile.ops() : null);
      // sent once; a profile of a build that is not served any more is dropped
      pendingProfile = null;
      sink.accept(t);
      batchesEmitted.incrementAndGet();
    } finally {
      histogram.reset();
      labelled = 0;
      correct = 0;
      referenceCount = 0;
      agreement = 0;
      errors = 0;
      windowStart = end;
    }
  }

  /** Base64 of the histogram's compressed encoding (mergeable by consumers). */
  static String encode(Histogram h) {
    ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    int n = h.encodeIntoCompressedByteBuffer(buffer);
    return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), n));
  }

  /** Stops serving, emits the last window and closes the model. */
  @Override
  public void close() {
    CompletableFuture<Void> last =
        CompletableFuture.runAsync(
            () -> {
              try {
                emitWindow();
              } finally {
                if (current != null) {
                  current.close();
                  current = null;
                }
              }
            },
            executor);
    executor.shutdown();
    try {
      last.get(10, TimeUnit.SECONDS);
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      LOG.log(Level.WARNING, deviceId + ": serving loop did not stop cleanly", e);
    }
    executor.shutdownNow();
    if (profiler != null) {
      try {
        if (executor.awaitTermination(10, TimeUnit.SECONDS)) {
          profiler.close();
        } else {
          LOG.log(Level.WARNING, "{0}: serving thread still busy; per-operator profiler left open", deviceId);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
