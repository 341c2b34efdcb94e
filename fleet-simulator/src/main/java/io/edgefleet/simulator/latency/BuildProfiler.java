package io.edgefleet.simulator.latency;

import io.edgefleet.quantization.eval.EvalResult;
import io.edgefleet.quantization.eval.Evaluator;
import io.edgefleet.quantization.runtime.TfliteRunner;
import io.edgefleet.quantization.samples.SampleSet;
import io.edgefleet.quantization.samples.SampleSetCodec;
import io.edgefleet.schemas.api.DeviceAssignment;
import io.edgefleet.schemas.signing.ArtifactSignatures;
import io.edgefleet.simulator.SimulatorErrorCode;
import io.edgefleet.simulator.SimulatorException;
import io.edgefleet.simulator.fleet.ArtifactFetcher;
import java.security.PublicKey;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.logging.Logger;
import org.HdrHistogram.Histogram;

/**
 * Measures each assigned build once, for real: downloads the artifact from its presigned URL (size, sha256 and, when a
 * trusted key is configured, the Ed25519 signature are checked), runs the model's evaluation set through the shared
 * {@link Evaluator} in the TFLite runtime on this host (top-1 accuracy, agreement with the float reference), then times
 * single inferences into an HdrHistogram. The resulting {@link LatencyProfile} is what the simulated devices replay.
 * One measurement per build key, on one thread (measurements are not disturbed by each other).
 */
public final class BuildProfiler {
  private static final Logger LOG = Logger.getLogger(BuildProfiler.class.getName());
  private static final int WARMUP_RUNS = 10;

  private final ArtifactFetcher fetcher;
  private final ExecutorService measuring;
  private final PublicKey trustedKey;
  private final int inferences;
  private final Map<String, CompletableFuture<LatencyProfile>> profiles = new ConcurrentHashMap<>();

  /**
   * @param measuring executor the measurements run on (a single thread is best)
   * @param trustedKey key the build signature must verify against, or null to skip the signature check
   * @param inferences inferences to time per build
   */
  public BuildProfiler(ArtifactFetcher fetcher, ExecutorService measuring, PublicKey trustedKey, int inferences) {
    this.fetcher = fetcher;
    this.measuring = measuring;
    this.trustedKey = trustedKey;
    this.inferences = inferences;
  }

  /** The profile of the assignment's build, measured on first request. */
  public CompletableFuture<LatencyProfile> profile(DeviceAssignment a) {
    return profiles.computeIfAbsent(a.buildKey(), k -> measure(a));
  }

  /** Profiles measured so far (completed ones only). */
  public Map<String, LatencyProfile> measured() {
    Map<String, LatencyProfile> out = new java.util.TreeMap<>();
    profiles.forEach((k, f) -> {
      if (f.isDone() && !f.isCompletedExceptionally()) {
        out.put(k, f.join());
      }
    });
    return out;
  }

  private CompletableFuture<LatencyProfile> measure(DeviceAssignment a) {
    if (trustedKey != null && !ArtifactSignatures.verify(trustedKey, a.artifactSha256(), a.sizeBytes(), a.signature())) {
      return CompletableFuture.failedFuture(new SimulatorException(SimulatorErrorCode.ARTIFACT_MISMATCH,
          "signature of build " + a.buildKey() + " does not verify with the trusted key"));
    }
    CompletableFuture<byte[]> model = fetcher.getVerified(a.artifactUrl(), a.artifactSha256(), a.sizeBytes());
    CompletableFuture<byte[]> eval = a.evalSetUrl() == null ? CompletableFuture.completedFuture(null) : fetcher.get(a.evalSetUrl());
    CompletableFuture<byte[]> reference =
        a.referenceOutputsUrl() == null ? CompletableFuture.completedFuture(null) : fetcher.get(a.referenceOutputsUrl());
    return CompletableFuture.allOf(model, eval, reference)
        .thenApplyAsync(v -> measure(a.buildKey(), model.join(), eval.join(), reference.join()), measuring);
  }

  /** Measures one build (blocking). */
  public LatencyProfile measure(String buildKey, byte[] model, byte[] evalSet, byte[] referenceOutputs) {
    if (evalSet == null) {
      throw new SimulatorException(SimulatorErrorCode.PROFILING_FAILED,
          "build " + buildKey + " has no evaluation set to run: nothing real to replay");
    }
    try {
      SampleSet eval = SampleSetCodec.read(evalSet);
      float[][] reference = referenceOutputs == null ? null : SampleSetCodec.read(referenceOutputs).inputs();
      EvalResult quality = Evaluator.evaluate(model, eval, reference, 1, WARMUP_RUNS);
      Histogram h = new Histogram(1, 60_000_000L, 3);
      try (TfliteRunner runner = TfliteRunner.load(model, 1)) {
        for (int i = 0; i < WARMUP_RUNS; i++) {
          runner.infer(eval.inputs()[i % eval.count()]);
        }
        for (int i = 0; i < inferences; i++) {
          float[] input = eval.inputs()[i % eval.count()];
          long t0 = System.nanoTime();
          runner.infer(input);
          h.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
        }
      }
      LatencyProfile p = LatencyProfile.fromHistogram(buildKey, h,
          eval.hasLabels() ? quality.top1Accuracy() : Double.NaN,
          reference == null ? Double.NaN : quality.agreementWithReference());
      LOG.info(() -> "measured " + p);
      return p;
    } catch (SimulatorException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new SimulatorException(SimulatorErrorCode.PROFILING_FAILED, "measuring build " + buildKey + " failed: " + e, e);
    }
  }
}
