package io.edgefleet.schemas.events;

/**
 * Quality and cost of a build measured by the worker on the evaluation set, in the TFLite runtime.
 *
 * @param evalSamples number of evaluation samples used (0 if none were given)
 * @param floatTop1 top-1 accuracy of the float model (NaN-free: -1 when unknown)
 * @param quantizedTop1 top-1 accuracy of the build (-1 when unknown)
 * @param agreementWithFloat share of samples whose top-1 equals the float model's
 * @param floatSizeBytes size of the float model file
 * @param p50LatencyMicros median single-inference latency of the build on the worker host
 * @param floatP50LatencyMicros median single-inference latency of the float model on the worker host
 */
public record BuildMetrics(
    int evalSamples,
    double floatTop1,
    double quantizedTop1,
    double agreementWithFloat,
    long floatSizeBytes,
    double p50LatencyMicros,
    double floatP50LatencyMicros) {}
