package io.edgefleet.controlplane.rollouts.gates;

/**
 * One gate evaluated on one group × build.
 *
 * @param value measured value, null when there were no samples
 * @param threshold the bound the value is compared with (a minimum for ACCURACY, a maximum otherwise)
 * @param samples samples the value is based on
 */
public record GateResult(Gate gate, String buildKey, Double value, double threshold, long samples, long minSamples,
    GateVerdict verdict) {

  /** Human-readable explanation, used as the reason of a breach. */
  public String describe() {
    String cmp = gate == Gate.ACCURACY ? ">=" : "<=";
    return gate + " of build " + buildKey + " = " + value + " (must be " + cmp + " " + threshold + ", " + samples
        + " samples): " + verdict;
  }
}
