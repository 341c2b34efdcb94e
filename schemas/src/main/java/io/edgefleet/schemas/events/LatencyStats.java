package io.edgefleet.schemas.events;

/**
 * Latency of single inferences within a telemetry window, warm-up excluded.
 *
 * @param count inferences measured
 * @param histogram base64 of an HdrHistogram compressed encoding (microseconds), mergeable across devices; may be null
 */
public record LatencyStats(
    long count, double p50Micros, double p95Micros, double p99Micros, double maxMicros, double meanMicros, String histogram) {}
