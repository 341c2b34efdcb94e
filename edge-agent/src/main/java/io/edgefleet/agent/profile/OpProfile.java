package io.edgefleet.agent.profile;

import io.edgefleet.schemas.events.OpTiming;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One per-operator profile of a model.
 *
 * @param buildKey the profiled build
 * @param kernels the kernels it ran on
 * @param runs profiled inferences (warm-up excluded)
 * @param executionSteps nodes the interpreter executes per inference (its execution plan; one per delegate kernel)
 * @param inferenceMedianMicros median wall time of one whole profiled {@code Invoke()}, profiler callbacks included
 * @param inferenceMeanMicros mean of the same
 * @param ops per-operator times in execution order
 * @param takenAt when the profile finished
 */
public record OpProfile(
    String buildKey,
    ProfileKernels kernels,
    int runs,
    int executionSteps,
    double inferenceMedianMicros,
    double inferenceMeanMicros,
    List<OpTiming> ops,
    Instant takenAt) {

  public OpProfile {
    Objects.requireNonNull(buildKey, "buildKey");
    Objects.requireNonNull(kernels, "kernels");
    ops = List.copyOf(ops);
    Objects.requireNonNull(takenAt, "takenAt");
  }

  /** Sum of the operators' mean times: the time one inference spends inside operators. */
  public double opMeanSumMicros() {
    return ops.stream().mapToDouble(OpTiming::meanMicros).sum();
  }

  /** One line per operator, for logs. */
  public String describe() {
    StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT,
        "profile of %s (%s kernels, %d runs, %d execution steps): inference median %.1f us, mean %.1f us;"
            + " operators (sum of means) %.1f us%n",
        buildKey, kernels.key(), runs, executionSteps, inferenceMedianMicros, inferenceMeanMicros,
        opMeanSumMicros()));
    for (OpTiming t : ops) {
      sb.append(String.format(java.util.Locale.ROOT, "  #%-3d %-40s median %8.1f us  mean %8.1f us  %5.1f %%%n",
          t.opIndex(), t.op(), t.medianMicros(), t.meanMicros(), 100 * t.share()));
    }
    return sb.toString();
  }
}
