package io.edgefleet.worker.jobs;

import io.edgefleet.quantization.ErrorCode;
import io.edgefleet.quantization.QuantizationException;
import io.edgefleet.quantization.eval.EvalResult;
import io.edgefleet.quantization.eval.Evaluator;
import io.edgefleet.quantization.model.TfliteModel;
import io.edgefleet.quantization.quantize.CalibratedModel;
import io.edgefleet.quantization.quantize.LayerPrecision;
import io.edgefleet.quantization.quantize.QuantizationMode;
import io.edgefleet.quantization.quantize.QuantizedModel;
import io.edgefleet.quantization.quantize.Quantizer;
import io.edgefleet.quantization.quantize.QuantizerOptions;
import io.edgefleet.quantization.runtime.TfliteRunner;
import io.edgefleet.quantization.samples.SampleSet;
import io.edgefleet.quantization.samples.SampleSetCodec;
import io.edgefleet.quantizer.mixed.MixedPrecisionPipeline;
import io.edgefleet.schemas.events.BuildCompleted;
import io.edgefleet.schemas.events.BuildKeys;
import io.edgefleet.schemas.events.BuildMetrics;
import io.edgefleet.schemas.events.BuildRequested;
import io.edgefleet.schemas.events.QuantizationPlan;
import io.edgefleet.worker.WorkerErrorCode;
import io.edgefleet.worker.WorkerException;
import io.edgefleet.worker.retry.Retrier;
import io.edgefleet.worker.signing.BuildSigner;
import io.edgefleet.worker.storage.ManifestStore;
import io.edgefleet.worker.storage.ObjectStore;
import io.edgefleet.worker.storage.StorageLayout;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * One build, start to finish: manifest fast path, download and verify inputs, quantize (a uniform mode, or a MIXED
 * per-layer plan through {@link MixedPrecisionPipeline#build}), evaluate, upload reference outputs and artifact, sign,
 * and write the manifest last. Failures are thrown ({@link QuantizationException} for the
 * model and samples, {@link WorkerException} otherwise); {@link BuildRunner} turns them into {@code BuildFailed}.
 *
 * <p>Every object written before the manifest is content-addressed, so a crash at any point followed by a redelivery
 * rewrites identical objects; the manifest makes the build visible atomically.
 */
public final class BuildJob {
  /** Plan mode name of per-layer mixed-precision plans. */
  public static final String MIXED_MODE = "MIXED";

  private static final Logger LOG = Logger.getLogger(BuildJob.class.getName());

  private final ObjectStore store;
  private final ManifestStore manifests;
  private final BuildSigner signer;
  private final Retrier retrier;
  private final Settings settings;
  private final WorkerStats stats;
  private final Clock clock;

  /**
   * @param workerId identity written into results
   * @param interpreterThreads TFLite threads for calibration and evaluation
   * @param warmupRuns untimed inferences before latency measurement
   */
  public record Settings(String workerId, int interpreterThreads, int warmupRuns) {}

  public BuildJob(
      ObjectStore store,
      ManifestStore manifests,
      BuildSigner signer,
      Retrier retrier,
      Settings settings,
      WorkerStats stats,
      Clock clock) {
    this.store = store;
    this.manifests = manifests;
    this.signer = signer;
    this.retrier = retrier;
    this.settings = settings;
    this.stats = stats;
    this.clock = clock;
  }

  /** Runs the build, or re-answers it from its manifest. */
  public BuildOutcome.Completed execute(BuildRequested request) {
    long startNanos = System.nanoTime();
    String buildKey = request.buildKey();
    Optional<BuildCompleted> existing = retrier.call("read manifest of " + buildKey, () -> manifests.find(buildKey));
    if (existing.isPresent()) {
      stats.recordReuse();
      LOG.info("build " + buildKey + " already complete (" + existing.get().artifactObjectKey() + "); re-publishing");
      return new BuildOutcome.Completed(existing.get(), true);
    }
    QuantizationPlan plan = request.plan();
    boolean mixed = MIXED_MODE.equals(plan.mode());
    QuantizationMode mode = mixed ? null : modeOf(plan.mode());
    if (!mixed && !plan.layerPrecisions().isEmpty()) {
      throw new WorkerException(
          WorkerErrorCode.INVALID_PLAN,
          "plan mode " + plan.mode() + " is uniform but the plan lists " + plan.layerPrecisions().size()
              + " per-layer precisions (only MIXED plans have layerPrecisions)");
    }
    if (mixed && plan.layerPrecisions().isEmpty()) {
      throw new WorkerException(
          WorkerErrorCode.INVALID_PLAN, "MIXED plan without layerPrecisions (a MIXED plan lists every layer)");
    }

    byte[] model = retrier.call("download model " + request.modelObjectKey(), () -> store.get(request.modelObjectKey()));
    String modelSha = BuildKeys.sha256Hex(model);
    if (!modelSha.equalsIgnoreCase(request.modelSha256())) {
      throw new WorkerException(
          WorkerErrorCode.MODEL_HASH_MISMATCH,
          "model object " + request.modelObjectKey() + " has sha256 " + modelSha + " but the request names "
              + request.modelSha256());
    }
    SampleSet calibration =
        SampleSetCodec.read(
            retrier.call(
                "download calibration set " + request.calibrationObjectKey(),
                () -> store.get(request.calibrationObjectKey())));
    SampleSet eval =
        request.evalObjectKey() == null
            ? null
            : SampleSetCodec.read(
                retrier.call(
                    "download evaluation set " + request.evalObjectKey(), () -> store.get(request.evalObjectKey())));

    int threads = settings.interpreterThreads();
    QuantizedModel quantized =
        mixed
            ? buildMixed(model, plan, calibration, threads)
            : Quantizer.quantize(model, mode, calibration, QuantizerOptions.defaults().withThreads(threads));
    byte[] artifact = quantized.tflite();

    // Evaluate on the labelled evaluation set when given; otherwise measure agreement and latency on calibration data.
    SampleSet measureSet = eval != null ? eval : calibration;
    float[][] floatOutputs;
    int[] outputShape;
    try (TfliteRunner runner = TfliteRunner.load(model, threads)) {
      floatOutputs = runner.inferAll(measureSet);
      outputShape = runner.outputShape();
    }
    EvalResult floatResult = Evaluator.evaluate(model, measureSet, null, threads, settings.warmupRuns());
    EvalResult quantResult = Evaluator.evaluate(artifact, measureSet, floatOutputs, threads, settings.warmupRuns());
    if (!quantResult.allFinite()) {
      throw new QuantizationException(
          ErrorCode.NON_FINITE_VALUES, "the " + plan.mode() + " build produced non-finite outputs on the evaluation data");
    }
    boolean labelled = eval != null && eval.hasLabels();
    BuildMetrics metrics =
        new BuildMetrics(
            eval == null ? 0 : eval.count(),
            labelled ? known(floatResult.top1Accuracy()) : -1,
            labelled ? known(quantResult.top1Accuracy()) : -1,
            known(quantResult.agreementWithReference()),
            model.length,
            quantResult.latency().p50Micros(),
            floatResult.latency().p50Micros());

    String referenceKey = null;
    if (eval != null) {
      byte[] references =
          SampleSetCodec.write(
              new SampleSet(sampleShape(outputShape), floatOutputs, null), SampleSetCodec.Encoding.FLOAT32, false);
      referenceKey = StorageLayout.referenceKey(BuildKeys.sha256Hex(references));
      String key = referenceKey;
      retrier.run("upload reference outputs " + key, () -> store.put(key, references, "application/octet-stream"));
    }

    String artifactSha = BuildKeys.sha256Hex(artifact);
    String artifactKey = StorageLayout.artifactKey(artifactSha);
    retrier.run("upload artifact " + artifactKey, () -> store.put(artifactKey, artifact, "application/octet-stream"));
    String signature = signer.sign(artifactSha, artifact.length);

    Instant now = clock.instant();
    BuildCompleted completed =
        new BuildCompleted(
            buildKey,
            request.modelSha256().toLowerCase(Locale.ROOT),
            request.plan().planHash(),
            artifactKey,
            artifactSha,
            artifact.length,
            signature,
            signer.keyId(),
            referenceKey,
            metrics,
            settings.workerId(),
            (System.nanoTime() - startNanos) / 1_000_000,
            now);
    retrier.run("write manifest of " + buildKey, () -> manifests.write(completed));
    stats.recordBuild();
    LOG.info(
        "build " + buildKey + " done: " + plan.mode() + ", " + model.length + " -> " + artifact.length + " bytes, top1 "
            + metrics.floatTop1() + " -> " + metrics.quantizedTop1() + ", agreement " + metrics.agreementWithFloat()
            + ", p50 " + metrics.floatP50LatencyMicros() + " -> " + metrics.p50LatencyMicros() + " us, "
            + completed.durationMillis() + " ms");
    return new BuildOutcome.Completed(completed, false);
  }

  /**
   * Builds a MIXED plan: checks it against the model ({@link MixedPlans#resolve}, {@link
   * WorkerErrorCode#INVALID_PLAN}), calibrates with the options analyses use (no sensitivity pass) and builds the mixed
   * model (FULL_INT8 base with every layer overridden; verified in the runtime by the pipeline). A plan whose layers
   * all share one precision is built the same way.
   */
  static QuantizedModel buildMixed(byte[] model, QuantizationPlan plan, SampleSet calibration, int threads) {
    TfliteModel parsed = TfliteModel.parse(model);
    parsed.requireFloatModelSupported();
    Map<Integer, LayerPrecision> layers = MixedPlans.resolve(parsed, plan.layerPrecisions());
    QuantizerOptions options = MixedPlans.quantizerOptions(threads);
    CalibratedModel calibrated = Quantizer.calibrate(model, calibration, options);
    return MixedPrecisionPipeline.build(calibrated, layers, options);
  }

  /**
   * The quantizer mode for a uniform plan's mode name; MIXED (not a uniform mode, see {@link #buildMixed}) and unknown
   * names are {@link ErrorCode#UNSUPPORTED_MODE}.
   */
  public static QuantizationMode modeOf(String planMode) {
    if (MIXED_MODE.equals(planMode)) {
      throw new QuantizationException(
          ErrorCode.UNSUPPORTED_MODE, "MIXED is a per-layer plan, not a uniform quantization mode");
    }
    try {
      return QuantizationMode.valueOf(planMode);
    } catch (IllegalArgumentException e) {
      throw new QuantizationException(
          ErrorCode.UNSUPPORTED_MODE,
          "unknown quantization mode '" + planMode + "'; expected one of " + Arrays.toString(QuantizationMode.values()),
          e);
    }
  }

  /** Metric value, or -1 when the evaluator could not compute it (NaN has no JSON encoding). */
  private static double known(double v) {
    return Double.isFinite(v) ? v : -1;
  }

  /** Shape of one output sample: the output tensor shape without its batch dimension of 1. */
  static int[] sampleShape(int[] outputShape) {
    if (outputShape.length > 1 && outputShape[0] == 1) {
      return Arrays.copyOfRange(outputShape, 1, outputShape.length);
    }
    return outputShape.clone();
  }
}
