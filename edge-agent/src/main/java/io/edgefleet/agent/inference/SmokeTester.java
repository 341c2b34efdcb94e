package io.edgefleet.agent.inference;

import io.edgefleet.agent.AgentErrorCode;
import io.edgefleet.agent.AgentException;
import io.edgefleet.quantization.QuantizationException;
import io.edgefleet.quantization.eval.EvalResult;
import io.edgefleet.quantization.eval.Evaluator;
import io.edgefleet.quantization.samples.SampleSet;
import io.edgefleet.quantization.samples.SampleSetCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The install gate of a staged build, using the platform's shared {@link Evaluator} (the same agreement and accuracy
 * definitions as the quantizer worker): the model runs the evaluation samples in the real runtime, every output is
 * finite, and its top-1 agreement with the float reference outputs is at least {@code 1 - maxAccuracyDrop}.
 */
public final class SmokeTester {
  /** Warm-up inferences before measuring. */
  static final int WARMUP_RUNS = 2;

  private SmokeTester() {}

  /**
   * @param referenceFile float reference outputs ({@code .efs}), or null (then only finiteness is checked)
   * @param maxSamples run at most this many samples (the first ones)
   * @throws AgentException {@link AgentErrorCode#SMOKE_TEST_FAILED} with the reason
   */
  public static SmokeResult test(
      Path modelFile, Path evalFile, Path referenceFile, double maxAccuracyDrop, int threads, int maxSamples) {
    if (!(maxAccuracyDrop >= 0 && maxAccuracyDrop <= 1)) {
      throw new AgentException(AgentErrorCode.SMOKE_TEST_FAILED, "maxAccuracyDrop must be within 0..1, got " + maxAccuracyDrop);
    }
    EvalResult result;
    try {
      byte[] model = Files.readAllBytes(modelFile);
      SampleSet eval = SampleSetCodec.read(evalFile);
      int n = Math.min(maxSamples, eval.count());
      eval = eval.slice(0, n);
      float[][] reference = null;
      if (referenceFile != null) {
        SampleSet ref = SampleSetCodec.read(referenceFile);
        if (ref.count() < n) {
          throw new AgentException(
              AgentErrorCode.SMOKE_TEST_FAILED, "reference outputs hold " + ref.count() + " samples, " + n + " needed");
        }
        reference = Arrays.copyOf(ref.inputs(), n);
      }
      result = Evaluator.evaluate(model, eval, reference, threads, WARMUP_RUNS);
    } catch (QuantizationException e) {
      throw new AgentException(AgentErrorCode.SMOKE_TEST_FAILED, "evaluation failed: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new AgentException(AgentErrorCode.SLOT_IO_FAILED, "cannot read the staged model: " + e, e);
    }
    if (!result.allFinite()) {
      throw new AgentException(AgentErrorCode.SMOKE_TEST_FAILED, "non-finite outputs on the evaluation samples");
    }
    if (referenceFile == null) {
      return new SmokeResult(result.samples(), result.top1Accuracy(), Double.NaN, Double.NaN);
    }
    double required = 1.0 - maxAccuracyDrop;
    // tolerance for the floating-point form of the bound (e.g. 1 - 0.1)
    if (result.agreementWithReference() + 1e-9 < required) {
      throw new AgentException(
          AgentErrorCode.SMOKE_TEST_FAILED,
          String.format(
              Locale.ROOT,
              "agreement with the float model %.4f on %d samples is below the required %.4f (max drop %.4f)",
              result.agreementWithReference(), result.samples(), required, maxAccuracyDrop));
    }
    return new SmokeResult(result.samples(), result.top1Accuracy(), result.agreementWithReference(), required);
  }
}
