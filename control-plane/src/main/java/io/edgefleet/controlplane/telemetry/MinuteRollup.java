package io.edgefleet.controlplane.telemetry;

import java.time.Instant;
import org.HdrHistogram.Histogram;

/**
 * Telemetry of one build on one hardware class in one minute (of the batches' window end): sums and the merged
 * latency histogram ({@code null} when no batch carried one).
 */
public record MinuteRollup(
    String hardwareClass,
    Instant minute,
    long batches,
    long inferences,
    long labelled,
    long correct,
    long reference,
    long agreement,
    long errors,
    Instant lastReportAt,
    Histogram histogram) {

  /** The class name rollups use for batches that named none. */
  public static final String UNKNOWN_CLASS = "unknown";
}
