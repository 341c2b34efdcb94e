package io.edgefleet.controlplane.models;

import io.edgefleet.controlplane.errors.ControlPlaneException;
import io.edgefleet.controlplane.errors.ErrorCode;
import io.edgefleet.quantization.QuantizationException;
import io.edgefleet.quantization.model.ModelSummary;
import io.edgefleet.quantization.model.TfliteModel;
import io.edgefleet.quantization.samples.SampleSet;
import io.edgefleet.quantization.samples.SampleSetCodec;
import java.util.Arrays;
import java.util.List;

/**
 * Validates an upload for real with the quantization engine: the model must parse (runtime verifier + structural
 * checks) and be a supported float model; both sample sets must decode, be finite and match the model's input shape;
 * the evaluation set must be labelled.
 */
public final class ModelValidator {
  private ModelValidator() {}

  public static ValidatedUpload validate(byte[] model, byte[] calibration, byte[] eval) {
    TfliteModel parsed;
    try {
      parsed = TfliteModel.parse(model);
      parsed.requireFloatModelSupported();
    } catch (QuantizationException e) {
      throw modelError(e);
    }
    ModelSummary summary = parsed.summary();
    int[] sampleShape = sampleShape(summary.inputShape());
    SampleSet cal = samples("calibration", calibration, sampleShape);
    SampleSet ev = samples("eval", eval, sampleShape);
    if (!ev.hasLabels()) {
      throw new ControlPlaneException(ErrorCode.SAMPLES_MISMATCH,
          "the eval set has no labels; top-1 accuracy cannot be measured without them");
    }
    return new ValidatedUpload(summary, cal.count(), ev.count());
  }

  /** The shape of one sample: the model input without its batch dimension. */
  static int[] sampleShape(List<Integer> inputShape) {
    int[] shape = inputShape.stream().mapToInt(Integer::intValue).toArray();
    if (shape.length >= 2 && shape[0] == 1) {
      return Arrays.copyOfRange(shape, 1, shape.length);
    }
    return shape;
  }

  private static SampleSet samples(String part, byte[] bytes, int[] expectedShape) {
    SampleSet set;
    try {
      set = SampleSetCodec.read(bytes);
      set.requireFinite();
    } catch (QuantizationException e) {
      throw new ControlPlaneException(ErrorCode.SAMPLES_INVALID, part + ": " + e.getMessage(), e);
    }
    if (!Arrays.equals(set.sampleShape(), expectedShape)) {
      throw new ControlPlaneException(ErrorCode.SAMPLES_MISMATCH, part + ": sample shape "
          + Arrays.toString(set.sampleShape()) + " does not match the model input " + Arrays.toString(expectedShape));
    }
    return set;
  }

  private static ControlPlaneException modelError(QuantizationException e) {
    ErrorCode code;
    switch (e.code()) {
      case UNSUPPORTED_OP, NOT_FLOAT_MODEL, UNSUPPORTED_MODE -> code = ErrorCode.MODEL_UNSUPPORTED;
      default -> code = ErrorCode.MODEL_CORRUPT;
    }
    return new ControlPlaneException(code, e.getMessage(), e);
  }
}
