package io.edgefleet.quantization.eval;

/**
 * Per-inference wall-clock latency distribution (warm-up runs excluded).
 *
 * @param count measured inferences
 * @param p50Micros median
 * @param p95Micros 95th percentile
 * @param p99Micros 99th percentile
 * @param meanMicros mean
 */
public record LatencySummary(long count, double p50Micros, double p95Micros, double p99Micros, double meanMicros) {
}
