package io.edgefleet.worker;

import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.worker.analysis.AnalysisJob;
import io.edgefleet.worker.analysis.AnalysisRunner;
import io.edgefleet.worker.config.WorkerConfig;
import io.edgefleet.worker.jobs.BuildJob;
import io.edgefleet.worker.jobs.BuildRunner;
import io.edgefleet.worker.jobs.WorkerStats;
import io.edgefleet.worker.kafka.RequestConsumer;
import io.edgefleet.worker.retry.Retrier;
import io.edgefleet.worker.signing.BuildSigner;
import io.edgefleet.worker.storage.AnalysisStore;
import io.edgefleet.worker.storage.ManifestStore;
import io.edgefleet.worker.storage.ObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A quantizer worker: one member of the {@code quantizer-workers} consumer group, answering build requests and model
 * analysis requests (one consumer, both topics, one job at a time). Create it with {@link #create}, then either {@link
 * #run()} it on the calling thread or {@link #start()} it on its own thread; {@link #close()} stops it (an unfinished
 * job is left uncommitted and will be redelivered).
 */
public final class Worker implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Worker.class.getName());
  private static final Duration STOP_WAIT = Duration.ofSeconds(30);

  private final WorkerConfig config;
  private final WorkerStats stats;
  private final BuildRunner runner;
  private final AnalysisRunner analysisRunner;
  private final RequestConsumer consumer;
  private volatile Thread thread;

  private Worker(
      WorkerConfig config,
      WorkerStats stats,
      BuildRunner runner,
      AnalysisRunner analysisRunner,
      RequestConsumer consumer) {
    this.config = config;
    this.stats = stats;
    this.runner = runner;
    this.analysisRunner = analysisRunner;
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
    AnalysisJob analysisJob =
        new AnalysisJob(
            store,
            new AnalysisStore(store, codec),
            retrier,
            new AnalysisJob.Settings(
                config.workerId(),
                config.interpreterThreads(),
                config.analysis().sensitivitySamples(),
                config.analysis().latencyRuns(),
                config.analysis().latencyMethod()),
            stats,
            clock);
    AnalysisRunner analysisRunner =
        new AnalysisRunner(analysisJob, config.analysis().timeout(), config.workerId(), stats, clock);
    try {
      return new Worker(
          config, stats, runner, analysisRunner, new RequestConsumer(config, runner, analysisRunner, codec, stats));
    } catch (RuntimeException e) {
      runner.close();
      analysisRunner.close();
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

  /** Live counters: builds, analyses, stored re-answers, failures, dead letters. */
  public WorkerStats stats() {
    return stats;
  }

  /** Stops consuming; an in-flight job is abandoned without committing its record. */
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
    analysisRunner.close();
  }
}
