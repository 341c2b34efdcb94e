package io.edgefleet.quantization.eval;

/**
 * Result of running a model over an evaluation set.
 *
 * @param samples evaluated samples
 * @param top1Accuracy fraction of samples whose arg-max equals the label; NaN if the set has no labels
 * @param agreementWithReference fraction whose arg-max equals the reference output's; NaN without reference
 * @param maxAbsDiffVsReference largest |output - reference| over all values; NaN without reference
 * @param allFinite whether every output value was finite
 * @param latency per-inference latency
 */
public record EvalResult(int samples, double top1Accuracy, double agreementWithReference,
        double maxAbsDiffVsReference, boolean allFinite, LatencySummary latency) {
}
