package io.edgefleet.telemetry.topology;

import io.edgefleet.schemas.events.InferenceTelemetry;
import io.edgefleet.schemas.events.LatencyStats;
import io.edgefleet.telemetry.TelemetryErrorCode;
import io.edgefleet.telemetry.TelemetryPipelineException;
import io.edgefleet.telemetry.aggregate.LatencyHistograms;
import io.edgefleet.telemetry.aggregate.SparseHistogram;
import io.edgefleet.telemetry.aggregate.TelemetryObservation;
import java.time.Duration;

/**
 * Consistency rules a decoded telemetry batch must satisfy before it may touch any aggregate (pure). Violations raise
 * {@link TelemetryPipelineException} with a record-level {@link TelemetryErrorCode}; the caller dead-letters the record.
 */
public final class TelemetryValidator {
  /** Longest accepted id. */
  public static final int MAX_ID_LENGTH = 256;
  /** Largest count one batch may report (guards the sums against overflow). */
  public static final long MAX_BATCH_COUNT = 1_000_000_000L;

  private final long maxClockSkewMillis;

  public TelemetryValidator(Duration maxClockSkew) {
    this.maxClockSkewMillis = maxClockSkew.toMillis();
  }

  /**
   * Checks {@code t} against its record and returns the observation to aggregate.
   *
   * @param recordKey the record key as UTF-8 text (null if absent)
   * @param recordTimestamp the Kafka record timestamp (ms)
   */
  public TelemetryObservation validate(String recordKey, InferenceTelemetry t, long recordTimestamp) {
    requireId("deviceId", t.deviceId(), true);
    requireId("buildKey", t.buildKey(), true);
    requireId("rolloutId", t.rolloutId(), false);
    requireId("hardwareClass", t.hardwareClass(), false);
    if (!t.deviceId().equals(recordKey)) {
      throw new TelemetryPipelineException(TelemetryErrorCode.KEY_MISMATCH,
          "record key '" + recordKey + "' is not the device id '" + t.deviceId() + "'");
    }
    LatencyStats l = t.latency();
    long[] counts = {l.count(), t.labelledCount(), t.correctCount(), t.referenceCount(), t.agreementCount(),
        t.errorCount()};
    for (long c : counts) {
      if (c < 0 || c > MAX_BATCH_COUNT) {
        throw inconsistent(t, "counts must be in [0, " + MAX_BATCH_COUNT + "]");
      }
    }
    if (t.correctCount() > t.labelledCount()) {
      throw inconsistent(t, "correctCount " + t.correctCount() + " > labelledCount " + t.labelledCount());
    }
    if (t.agreementCount() > t.referenceCount()) {
      throw inconsistent(t, "agreementCount " + t.agreementCount() + " > referenceCount " + t.referenceCount());
    }
    long start = t.windowStart().toEpochMilli();
    long end = t.windowEnd().toEpochMilli();
    if (end < start) {
      throw new TelemetryPipelineException(TelemetryErrorCode.INVALID_WINDOW,
          "windowEnd " + t.windowEnd() + " is before windowStart " + t.windowStart() + " (" + where(t) + ")");
    }
    if (end > recordTimestamp + maxClockSkewMillis) {
      throw new TelemetryPipelineException(TelemetryErrorCode.CLOCK_SKEW,
          "windowEnd " + t.windowEnd() + " is " + (end - recordTimestamp) + " ms after the record timestamp, limit "
              + maxClockSkewMillis + " ms (" + where(t) + ")");
    }
    SparseHistogram histogram = null;
    if (l.histogram() != null) {
      try {
        histogram = LatencyHistograms.decodeBase64Sparse(l.histogram());
      } catch (IllegalArgumentException e) {
        throw new TelemetryPipelineException(TelemetryErrorCode.INVALID_HISTOGRAM, e.getMessage() + " (" + where(t) + ")",
            e);
      }
      if (histogram.totalCount() != l.count()) {
        throw new TelemetryPipelineException(TelemetryErrorCode.HISTOGRAM_COUNT_MISMATCH,
            "histogram holds " + histogram.totalCount() + " values but latency.count is " + l.count() + " ("
                + where(t) + ")");
      }
    }
    return new TelemetryObservation(t.deviceId(), t.sequence(), t.buildKey(), t.rolloutId(),
        t.hardwareClass() == null ? TelemetryObservation.UNKNOWN_CLASS : t.hardwareClass(), start, end, l.count(),
        histogram, t.labelledCount(), t.correctCount(), t.referenceCount(), t.agreementCount(), t.errorCount());
  }

  private static void requireId(String name, String value, boolean required) {
    if (value == null) {
      if (required) {
        throw new TelemetryPipelineException(TelemetryErrorCode.INVALID_ID, name + " is missing");
      }
      return;
    }
    if (value.isBlank() || value.length() > MAX_ID_LENGTH) {
      throw new TelemetryPipelineException(TelemetryErrorCode.INVALID_ID,
          name + " must be 1-" + MAX_ID_LENGTH + " characters and not blank");
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw new TelemetryPipelineException(TelemetryErrorCode.INVALID_ID,
            name + " contains the control character U+" + String.format("%04X", (int) value.charAt(i)));
      }
    }
  }

  private static TelemetryPipelineException inconsistent(InferenceTelemetry t, String message) {
    return new TelemetryPipelineException(TelemetryErrorCode.INCONSISTENT_COUNTS, message + " (" + where(t) + ")");
  }

  private static String where(InferenceTelemetry t) {
    return "device " + t.deviceId() + " #" + t.sequence();
  }
}
