package io.edgefleet.telemetry.api;

import java.time.Instant;

/** One tumbling window of a time series: [windowStart, windowEnd). */
public record WindowPoint(Instant windowStart, Instant windowEnd, AggregateSnapshot aggregate) {}
