package io.edgefleet.telemetry.api;

/** {@code GET /health}: 200 with status UP when the Kafka Streams client is RUNNING, else 503 with status DOWN. */
public record HealthStatus(String status, String streamState) {}
