package io.edgefleet.controlplane.telemetry;

import java.time.Instant;
import org.HdrHistogram.Histogram;

/** One stored telemetry batch, as the aggregator consumes it. */
public record TelemetrySample(
    String deviceId,
    String hardwareClass,
    Instant windowEnd,
    long inferences,
    Histogram histogram,
    long labelled,
    long correct,
    long reference,
    long agreement,
    long errors) {}
