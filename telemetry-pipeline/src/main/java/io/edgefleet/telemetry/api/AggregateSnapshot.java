package io.edgefleet.telemetry.api;

import java.time.Instant;

/**
 * Read view of one aggregate (a window or all-time totals). Percentiles come from the merged HdrHistogram of every
 * batch (true percentiles of the union), never from averaging per-batch percentiles; they are null when no batch carried
 * a histogram.
 *
 * @param batches telemetry batches counted (replays excluded)
 * @param inferences Σ latency.count
 * @param throughputPerSecond inferences per second over the window (windows) or over firstWindowStart..lastWindowEnd
 *     (totals); null if that span is empty
 * @param top1Accuracy Σcorrect / Σlabelled, null without labelled inferences
 * @param agreementWithFloat Σagreement / Σreference, null without reference outputs
 * @param devices distinct devices; an estimate (±~2%) when {@code devicesExact} is false
 * @param firstWindowStart earliest batch windowStart
 * @param lastWindowEnd latest batch windowEnd
 */
public record AggregateSnapshot(
    long batches,
    long inferences,
    Double throughputPerSecond,
    Double p50Micros,
    Double p95Micros,
    Double p99Micros,
    Double maxMicros,
    Double meanMicros,
    long labelled,
    long correct,
    Double top1Accuracy,
    long reference,
    long agreement,
    Double agreementWithFloat,
    long errors,
    long devices,
    boolean devicesExact,
    Instant firstWindowStart,
    Instant lastWindowEnd) {}
