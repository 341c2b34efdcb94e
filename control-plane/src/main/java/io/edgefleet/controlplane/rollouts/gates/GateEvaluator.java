package io.edgefleet.controlplane.rollouts.gates;

import java.util.ArrayList;
import java.util.List;

/** Pure gate evaluation: a gate with fewer than {@code minSamples} samples (or none) is PENDING, never PASS. */
public final class GateEvaluator {
  private GateEvaluator() {}

  public static List<GateResult> evaluate(GateConfig config, GateInput in) {
    List<GateResult> out = new ArrayList<>(3);
    if (config.maxAccuracyDrop() != null) {
      double threshold = 1.0 - config.maxAccuracyDrop();
      Double value = in.reference() == 0 ? null : (double) in.agreement() / in.reference();
      out.add(result(Gate.ACCURACY, in.buildKey(), value, threshold, in.reference(), config.minSamples(),
          value != null && value >= threshold));
    }
    if (config.maxP95LatencyMicros() != null) {
      double threshold = config.maxP95LatencyMicros();
      Double value = in.inferences() == 0 ? null : in.p95Micros();
      out.add(result(Gate.P95_LATENCY, in.buildKey(), value, threshold, value == null ? 0 : in.inferences(),
          config.minSamples(), value != null && value <= threshold));
    }
    if (config.maxFailureRate() != null) {
      double threshold = config.maxFailureRate();
      Double value = in.inferences() == 0 ? null : Math.min(1.0, (double) in.errors() / in.inferences());
      out.add(result(Gate.FAILURE_RATE, in.buildKey(), value, threshold, in.inferences(), config.minSamples(),
          value != null && value <= threshold));
    }
    return out;
  }

  private static GateResult result(Gate gate, String buildKey, Double value, double threshold, long samples,
      long minSamples, boolean within) {
    GateVerdict verdict = value == null || samples < minSamples ? GateVerdict.PENDING
        : within ? GateVerdict.PASS : GateVerdict.FAIL;
    return new GateResult(gate, buildKey, value, threshold, samples, minSamples, verdict);
  }
}
