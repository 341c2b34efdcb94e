package io.edgefleet.schemas.events;

import java.util.Objects;

/**
 * Per-operator time of one model measured on a device by the TFLite profiler, aggregated over several profiled runs
 * (part of {@link InferenceTelemetry#opProfile()}).
 *
 * @param opIndex index the runtime reported for the operator: the model operator (node) index for operators run by
 *     the builtin kernels; the operator index inside the delegate kernel for operators a delegate (XNNPACK) ran
 * @param op operator name as the runtime reported it: the TFLite builtin name (e.g. {@code CONV_2D}) for builtin
 *     kernels, the delegate's own operator name (e.g. {@code Convolution (NHWC, F32) IGEMM}) for delegated ones
 * @param medianMicros median time of the operator per run, microseconds
 * @param meanMicros mean time of the operator per run, microseconds
 * @param share the operator's share of the summed time of all profiled operators, in [0, 1]
 * @param runs profiled inferences the figures are taken over
 */
public record OpTiming(int opIndex, String op, double medianMicros, double meanMicros, double share, int runs) {

  public OpTiming {
    Objects.requireNonNull(op, "op");
    if (opIndex < 0) {
      throw new IllegalArgumentException("opIndex must be >= 0, got " + opIndex);
    }
    if (runs < 1) {
      throw new IllegalArgumentException("runs must be >= 1, got " + runs);
    }
    if (medianMicros < 0 || meanMicros < 0) {
      throw new IllegalArgumentException("operator times must be >= 0, got median " + medianMicros + ", mean " + meanMicros);
    }
    if (share < 0 || share > 1) {
      throw new IllegalArgumentException("share must be in [0, 1], got " + share);
    }
  }
}
