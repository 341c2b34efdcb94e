package io.edgefleet.worker;

import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.worker.config.WorkerConfig;
import io.edgefleet.worker.jobs.BuildJob;
import io.edgefleet.worker.jobs.BuildRunner;
import io.edgefleet.worker.jobs.WorkerStats;
import io.edgefleet.worker.kafka.BuildRequestConsumer;
import io.edgefleet.worker.retry.Retrier;
import io.edgefleet.worker.signing.BuildSigner;
import io.edgefleet.worker.storage.ManifestStore;
import io.edgefleet.worker.storage.ObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A quantizer worker: one member of the {@code quantizer-workers} consumer group. Create it with {@link #create}, then
 * either {@link #run()} it on the calling thread or {@link #start()} it on its own thread; {@link #close()} stops it
 * (an unfinished build is left uncommitted and will be redelivered).
 */
public final class Worker implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Worker.class.getName());
  private static final Duration STOP_WAIT = Duration.ofSeconds(30);

  private final WorkerConfig config;
  private final WorkerStats stats;
  private final BuildRunner runner;
  private final BuildRequestConsumer consumer;
  private volatile Thread thread;

  private Worker(WorkerConfig config, WorkerStats stats, BuildRunner runner, BuildRequestConsumer consumer) {
    this.config = config;
    this.stats = stats;
    this.runner = runner;
    this.consumer = consumer;
  }

  /**
   * Wires a worker: loads and checks the signing keys, makes sure the bucket exists (retrying transient storage errors
   * under the retry policy) and creates the Kafka clients. Throws {@link WorkerException} if the setup is unusable.
   */
  public static Worker create(WorkerConfig config) {
    BuildSigner signer = BuildSigner.load(config.signingPrivateKey(), config.signingPublicKey());
    ObjectStore store = ObjectStore.connect(config.s3());
    WorkerStats stats = new WorkerStats();
    Retrier retrier = new Retrier(config.retry(), stats::recordStorageRetry);
    retrier.run("ensure bucket " + store.bucket(), store::ensureBucket);
    EventCodec codec = new EventCodec();
    Clock clock = Clock.systemUTC();
    BuildJob job =
        new BuildJob(
            store,
            new ManifestStore(store, codec),
            signer,
            retrier,
            new BuildJob.Settings(config.workerId(), config.interpreterThreads(), config.evalWarmupRuns()),
            stats,
            clock);
    BuildRunner runner = new BuildRunner(job, config.buildTimeout(), config.workerId(), stats, clock);
    try {
      return new Worker(config, stats, runner, new BuildRequestConsumer(config, runner, codec, stats));
    } catch (RuntimeException e) {
      runner.close();
      throw e;
    }
  }

  /** Runs the consumer loop on the calling thread until {@link #close()}. */
  public void run() {
    thread = Thread.currentThread();
    LOG.info("quantizer worker " + config.workerId() + " starting, signing key " + config.signingPublicKey());
    consumer.run();
  }

  /** Runs the consumer loop on a new thread. */
  public synchronized Worker start() {
    if (thread != null) {
      throw new IllegalStateException("worker already started");
    }
    Thread t = new Thread(this::run, "quantizer-worker-" + config.workerId());
    thread = t;
    t.setUncaughtExceptionHandler((th, e) -> LOG.log(Level.SEVERE, "worker loop died", e));
    t.start();
    return this;
  }

  public WorkerConfig config() {
    return config;
  }

  /** Live counters: builds, manifest re-answers, failures, dead letters. */
  public WorkerStats stats() {
    return stats;
  }

  /** Stops consuming; an in-flight build is abandoned without committing its record. */
  @Override
  public void close() {
    consumer.stop();
    Thread t = thread;
    if (t != null && t != Thread.currentThread()) {
      t.interrupt();
      try {
        t.join(STOP_WAIT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (t.isAlive()) {
        LOG.warning("worker thread did not stop within " + STOP_WAIT);
      }
    }
    runner.close();
  }
}
