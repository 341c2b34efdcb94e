package io.edgefleet.telemetry;

/**
 * Stable error keys of the telemetry pipeline. Record-level keys appear in the {@code dlq-reason} header of dead-lettered
 * telemetry; request-level keys appear in the {@code code} member of problem+json responses.
 */
public enum TelemetryErrorCode {
  /** A configuration value is missing or invalid. */
  INVALID_CONFIG("telemetry.invalid-config", 500),
  /** The record key is not the device id of the telemetry it carries. */
  KEY_MISMATCH("telemetry.key-mismatch", 422),
  /** An id is blank, too long or holds control characters. */
  INVALID_ID("telemetry.invalid-id", 422),
  /** Counts contradict each other (e.g. more correct than labelled inferences) or are out of range. */
  INCONSISTENT_COUNTS("telemetry.inconsistent-counts", 422),
  /** The batch window ends before it starts. */
  INVALID_WINDOW("telemetry.invalid-window", 422),
  /** The batch window ends further in the future than the allowed clock skew. */
  CLOCK_SKEW("telemetry.clock-skew", 422),
  /** The latency histogram is not base64 of a compressed HdrHistogram. */
  INVALID_HISTOGRAM("telemetry.invalid-histogram", 422),
  /** The latency histogram's total count differs from {@code latency.count}. */
  HISTOGRAM_COUNT_MISMATCH("telemetry.histogram-count-mismatch", 422),
  /** A state store value cannot be read back: fatal for the stream thread. */
  CORRUPT_STATE("telemetry.corrupt-state", 500),
  /** No aggregate exists for the requested key. */
  NOT_FOUND("telemetry.not-found", 404),
  /** A request parameter is invalid. */
  BAD_REQUEST("telemetry.bad-request", 400),
  /** The HTTP method is not supported by the resource. */
  METHOD_NOT_ALLOWED("telemetry.method-not-allowed", 405),
  /** The state stores are not queryable right now (starting, rebalancing, restoring): retry later. */
  STORE_UNAVAILABLE("telemetry.store-unavailable", 503),
  /** The pipeline could not start (topic creation, HTTP port, Kafka Streams). */
  STARTUP_FAILED("telemetry.startup-failed", 500),
  /** A call of the aggregates HTTP API failed (client side). */
  CLIENT_FAILED("telemetry.client-failed", 502),
  /** An unexpected server-side failure. */
  INTERNAL("telemetry.internal", 500);

  private final String key;
  private final int httpStatus;

  TelemetryErrorCode(String key, int httpStatus) {
    this.key = key;
    this.httpStatus = httpStatus;
  }

  /** Stable key, e.g. {@code telemetry.key-mismatch}. */
  public String key() {
    return key;
  }

  /** HTTP status used when this error answers a request. */
  public int httpStatus() {
    return httpStatus;
  }
}
