package io.edgefleet.agent.inference;

import io.edgefleet.agent.AgentErrorCode;
import io.edgefleet.agent.AgentException;
import io.edgefleet.quantization.QuantizationException;
import io.edgefleet.quantization.runtime.TfliteRunner;
import io.edgefleet.quantization.samples.SampleSet;
import io.edgefleet.quantization.samples.SampleSetCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * A loaded model with the samples it is exercised on: the native interpreter, the evaluation samples (labels
 * optional) and the top-1 class of the float reference model per sample (optional). Owns the interpreter.
 */
public final class ServingModel implements AutoCloseable {
  private final String buildKey;
  private final String rolloutId;
  private final TfliteRunner runner;
  private final SampleSet samples;
  private final int[] referenceTop1;
  private final Path modelFile;
  private final int threads;

  private ServingModel(
      String buildKey, String rolloutId, TfliteRunner runner, SampleSet samples, int[] referenceTop1, Path modelFile,
      int threads) {
    this.buildKey = buildKey;
    this.rolloutId = rolloutId;
    this.runner = runner;
    this.samples = samples;
    this.referenceTop1 = referenceTop1;
    this.modelFile = modelFile;
    this.threads = threads;
  }

  /**
   * Loads a model and its evaluation material.
   *
   * @param evalFile {@code .efs} evaluation samples (required: the serving loop runs on them)
   * @param referenceFile {@code .efs} float32 outputs of the float model, one per evaluation sample, or null
   * @throws AgentException {@link AgentErrorCode#SMOKE_TEST_FAILED} if the model does not load or the material does
   *     not fit the model
   */
  public static ServingModel load(
      String buildKey, String rolloutId, Path modelFile, Path evalFile, Path referenceFile, int threads) {
    Objects.requireNonNull(buildKey);
    if (evalFile == null) {
      throw new AgentException(
          AgentErrorCode.SMOKE_TEST_FAILED, "build " + buildKey + " comes without evaluation samples: nothing to run");
    }
    SampleSet samples;
    int[] refTop1 = null;
    try {
      samples = SampleSetCodec.read(evalFile);
      if (referenceFile != null) {
        SampleSet reference = SampleSetCodec.read(referenceFile);
        if (reference.count() != samples.count()) {
          throw new AgentException(
              AgentErrorCode.SMOKE_TEST_FAILED,
              "reference outputs hold " + reference.count() + " samples but the evaluation set " + samples.count());
        }
        refTop1 = new int[reference.count()];
        for (int i = 0; i < refTop1.length; i++) {
          refTop1[i] = argmax(reference.inputs()[i]);
        }
      }
    } catch (QuantizationException e) {
      throw new AgentException(AgentErrorCode.SMOKE_TEST_FAILED, "unusable evaluation material: " + e.getMessage(), e);
    }
    byte[] model;
    try {
      model = Files.readAllBytes(modelFile);
    } catch (IOException e) {
      throw new AgentException(AgentErrorCode.SLOT_IO_FAILED, "cannot read " + modelFile + ": " + e, e);
    }
    TfliteRunner runner;
    try {
      runner = TfliteRunner.load(model, threads);
    } catch (QuantizationException e) {
      throw new AgentException(AgentErrorCode.SMOKE_TEST_FAILED, "model does not load: " + e.getMessage(), e);
    }
    try {
      runner.requireCompatible(samples);
    } catch (QuantizationException e) {
      runner.close();
      throw new AgentException(AgentErrorCode.SMOKE_TEST_FAILED, e.getMessage(), e);
    }
    return new ServingModel(buildKey, rolloutId, runner, samples, refTop1, modelFile, threads);
  }

  public String buildKey() {
    return buildKey;
  }

  public String rolloutId() {
    return rolloutId;
  }

  public int sampleCount() {
    return samples.count();
  }

  public boolean hasLabels() {
    return samples.hasLabels();
  }

  public boolean hasReference() {
    return referenceTop1 != null;
  }

  /** Label of sample {@code i}, or -1 when unlabelled. */
  public int label(int i) {
    return samples.hasLabels() ? samples.labels()[i] : -1;
  }

  /** Top-1 class of the float model on sample {@code i}, or -1 when no reference is known. */
  public int referenceTop1(int i) {
    return referenceTop1 == null ? -1 : referenceTop1[i];
  }

  /** Interpreter threads the model runs with. */
  public int threads() {
    return threads;
  }

  /** The evaluation samples the model is exercised on (shared, do not modify). */
  public float[][] inputs() {
    return samples.inputs();
  }

  /**
   * The model file's bytes, read again from its slot (for the per-operator profile, which builds its own
   * interpreter; the slot file is immutable while the build is active).
   */
  public byte[] readModel() {
    try {
      return Files.readAllBytes(modelFile);
    } catch (IOException e) {
      throw new AgentException(AgentErrorCode.SLOT_IO_FAILED, "cannot read " + modelFile + ": " + e, e);
    }
  }

  /** Runs sample {@code i}; returns output 0. */
  public float[] infer(int i) {
    return runner.infer(samples.inputs()[i]);
  }

  /** Index of the largest value; -1 if any value is not finite. */
  public static int argmax(float[] values) {
    int best = -1;
    float max = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        return -1;
      }
      if (best < 0 || values[i] > max) {
        max = values[i];
        best = i;
      }
    }
    return best;
  }

  @Override
  public void close() {
    runner.close();
  }

  @Override
  public String toString() {
    return "ServingModel[build=" + buildKey + ", samples=" + samples.count() + ", shape="
        + Arrays.toString(samples.sampleShape()) + ", reference=" + hasReference() + "]";
  }
}
