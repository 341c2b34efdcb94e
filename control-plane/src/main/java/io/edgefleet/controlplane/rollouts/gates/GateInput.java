package io.edgefleet.controlplane.rollouts.gates;

/**
 * Telemetry totals of one group × build, the input of {@link GateEvaluator}.
 *
 * @param p95Micros p95 of the merged latency histograms, null when no batch carried one
 */
public record GateInput(String buildKey, long inferences, long errors, long reference, long agreement,
    Double p95Micros) {}
