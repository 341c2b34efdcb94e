package io.edgefleet.quantization.quantize;

/** How an activation tensor's clipping range is chosen from its calibration statistics. */
public enum RangeEstimator {
    /** The observed minimum and maximum. */
    MIN_MAX,
    /** The {@code percentile} and {@code 100 - percentile} quantiles of the observed values. */
    PERCENTILE,
    /** The symmetric-in-bins clip range minimizing the expected quantization mean squared error. */
    MSE,
    /**
     * The clip range minimizing KL(P || Q) between the observed histogram P (clipped mass folded into the edge bins)
     * and its quantized version Q (entropy calibration, as in TensorRT), over the same memory-bounded histogram.
     */
    KL
}
