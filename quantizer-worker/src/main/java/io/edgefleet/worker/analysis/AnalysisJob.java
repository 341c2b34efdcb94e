package io.edgefleet.worker.analysis;

import io.edgefleet.quantization.samples.SampleSet;
import io.edgefleet.quantization.samples.SampleSetCodec;
import io.edgefleet.quantization.sensitivity.ProgressListener;
import io.edgefleet.quantizer.mixed.AnalysisOptions;
import io.edgefleet.quantizer.mixed.LatencyMethod;
import io.edgefleet.quantizer.mixed.MixedPrecisionPipeline;
import io.edgefleet.quantizer.mixed.ModelAnalysis;
import io.edgefleet.schemas.events.AnalysisCompleted;
import io.edgefleet.schemas.events.AnalysisRequested;
import io.edgefleet.schemas.events.BuildKeys;
import io.edgefleet.schemas.events.LayerAnalysis;
import io.edgefleet.worker.WorkerErrorCode;
import io.edgefleet.worker.WorkerException;
import io.edgefleet.worker.jobs.MixedPlans;
import io.edgefleet.worker.jobs.WorkerStats;
import io.edgefleet.worker.retry.Retrier;
import io.edgefleet.worker.storage.AnalysisStore;
import io.edgefleet.worker.storage.ObjectStore;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * One model analysis, start to finish: stored-result fast path, download and verify the model, read the calibration
 * set, run {@link MixedPrecisionPipeline#analyze} (calibration, single-layer forward-pass sensitivity of every mixable
 * precision on a bounded, evenly spaced subset of the calibration samples, data-free weight proxies, per-layer host
 * latency table), map it to {@link LayerAnalysis} rows and store {@code analyses/<modelSha256>.json}
 * last (the commit point). Failures are thrown; {@link AnalysisRunner} turns them into {@code AnalysisFailed}.
 *
 * <p>Sensitivities are measured on calibration samples, not on the request's evaluation set: the evaluation set is what
 * builds (and rollout gates) judge the chosen plan on, so it stays held out of plan selection. The evaluation set is
 * therefore not downloaded.
 */
public final class AnalysisJob {
  private static final Logger LOG = Logger.getLogger(AnalysisJob.class.getName());

  private final ObjectStore store;
  private final AnalysisStore analyses;
  private final Retrier retrier;
  private final Settings settings;
  private final WorkerStats stats;
  private final Clock clock;

  /**
   * @param workerId identity written into results
   * @param interpreterThreads TFLite threads for calibration, sensitivity and latency runs
   * @param sensitivitySamples calibration samples the sensitivity is measured on
   * @param latencyRuns timed inferences per model; 0 = no latency table (latencies reported as -1)
   * @param latencyMethod how the per-layer latency table is measured
   */
  public record Settings(
      String workerId, int interpreterThreads, int sensitivitySamples, int latencyRuns, LatencyMethod latencyMethod) {
    public Settings {
      Objects.requireNonNull(workerId, "workerId");
      Objects.requireNonNull(latencyMethod, "latencyMethod");
      if (interpreterThreads < 1 || sensitivitySamples < 1 || latencyRuns < 0) {
        throw new IllegalArgumentException("threads and sensitivity samples must be >= 1, latency runs >= 0");
      }
    }
  }

  public AnalysisJob(
      ObjectStore store, AnalysisStore analyses, Retrier retrier, Settings settings, WorkerStats stats, Clock clock) {
    this.store = store;
    this.analyses = analyses;
    this.retrier = retrier;
    this.settings = settings;
    this.stats = stats;
    this.clock = clock;
  }

  /** Measures the model, or re-answers the request from the stored analysis. */
  public AnalysisOutcome.Completed execute(AnalysisRequested request) {
    long startNanos = System.nanoTime();
    String sha = request.modelSha256().toLowerCase(Locale.ROOT);
    Optional<AnalysisCompleted> stored = retrier.call("read stored analysis of " + sha, () -> analyses.find(sha));
    if (stored.isPresent()) {
      stats.recordAnalysisReuse();
      LOG.info("analysis of model " + sha + " already stored; re-publishing");
      return new AnalysisOutcome.Completed(forRequest(stored.get(), request), true);
    }

    byte[] model = retrier.call("download model " + request.modelObjectKey(), () -> store.get(request.modelObjectKey()));
    String modelSha = BuildKeys.sha256Hex(model);
    if (!modelSha.equals(sha)) {
      throw new WorkerException(
          WorkerErrorCode.MODEL_HASH_MISMATCH,
          "model object " + request.modelObjectKey() + " has sha256 " + modelSha + " but the request names " + sha);
    }
    SampleSet calibration =
        SampleSetCodec.read(
            retrier.call(
                "download calibration set " + request.calibrationObjectKey(),
                () -> store.get(request.calibrationObjectKey())));
    SampleSet sensitivitySet = evenlySpaced(calibration, settings.sensitivitySamples());

    int threads = settings.interpreterThreads();
    AnalysisOptions options =
        AnalysisOptions.defaults()
            .withQuantizer(MixedPlans.quantizerOptions(threads))
            .withPrecisions(MixedPlans.MIXABLE)
            .withMeasureSensitivity(true)
            .withLatency(settings.latencyRuns(), threads)
            .withLatencyMethod(settings.latencyMethod());
    ModelAnalysis analysis =
        MixedPrecisionPipeline.analyze(model, calibration, sensitivitySet, options, ProgressListener.NONE);
    List<LayerAnalysis> layers = AnalysisMapping.layers(analysis);

    AnalysisCompleted completed =
        new AnalysisCompleted(
            request.modelId(),
            sha,
            settings.workerId(),
            model.length,
            analysis.fixedBytes(),
            sensitivitySet.count(),
            settings.latencyRuns() > 0 ? latencyHost(threads, settings.latencyRuns(), settings.latencyMethod()) : null,
            layers,
            (System.nanoTime() - startNanos) / 1_000_000,
            clock.instant());
    retrier.run("store analysis of " + sha, () -> analyses.write(completed));
    stats.recordAnalysis();
    ModelAnalysis.Timings t = analysis.timings();
    LOG.info("analysis of model " + sha + " done: " + layers.size() + " layers, " + sensitivitySet.count()
        + " sensitivity samples, calibration " + t.calibrationMillis() + " ms, sensitivity " + t.sensitivityMillis()
        + " ms, latency table " + t.latencyMillis() + " ms, total " + completed.durationMillis() + " ms");
    return new AnalysisOutcome.Completed(completed, false);
  }

  /** The stored analysis as the answer to {@code request}: same measurements, the requesting model id. */
  static AnalysisCompleted forRequest(AnalysisCompleted stored, AnalysisRequested request) {
    if (Objects.equals(stored.modelId(), request.modelId())) {
      return stored;
    }
    return new AnalysisCompleted(
        request.modelId(),
        stored.modelSha256(),
        stored.workerId(),
        stored.floatSizeBytes(),
        stored.fixedBytes(),
        stored.sensitivitySamples(),
        stored.latencyHost(),
        stored.layers(),
        stored.durationMillis(),
        stored.completedAt());
  }

  /**
   * At most {@code max} samples of {@code set}, evenly spaced over it (sample sets are often ordered by class, so a
   * prefix would be biased); the whole set if it is not larger.
   */
  static SampleSet evenlySpaced(SampleSet set, int max) {
    int n = set.count();
    if (n <= max) {
      return set;
    }
    float[][] inputs = new float[max][];
    int[] labels = set.labels() == null ? null : new int[max];
    for (int i = 0; i < max; i++) {
      int from = (int) ((long) i * n / max);
      inputs[i] = set.inputs()[from];
      if (labels != null) {
        labels[i] = set.labels()[from];
      }
    }
    return new SampleSet(set.sampleShape(), inputs, labels);
  }

  /** Where and how the latency table was measured: host architecture, cores, threads, runs, method. */
  static String latencyHost(int threads, int runs, LatencyMethod method) {
    String how =
        method == LatencyMethod.PER_LAYER
            ? "single-operator model p50 per layer and precision over " + runs + " runs"
            : "uniform-model p50 over " + runs + " runs apportioned to layers by work";
    return System.getProperty("os.name") + "/" + System.getProperty("os.arch") + ", "
        + Runtime.getRuntime().availableProcessors() + " cores, " + threads + " interpreter thread(s), TFLite " + how;
  }
}
