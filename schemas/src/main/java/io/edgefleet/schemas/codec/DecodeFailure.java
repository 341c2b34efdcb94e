package io.edgefleet.schemas.codec;

/** Why a Kafka value could not be turned into an event. Keys are stable and appear in dead-letter reasons. */
public enum DecodeFailure {
  EMPTY("event.empty"),
  OVERSIZED("event.oversized"),
  MALFORMED_JSON("event.malformed-json"),
  INVALID_ENVELOPE("event.invalid-envelope"),
  UNSUPPORTED_SPEC_VERSION("event.unsupported-specversion"),
  UNKNOWN_TYPE("event.unknown-type"),
  SCHEMA_VIOLATION("event.schema-violation"),
  UNEXPECTED_TYPE("event.unexpected-type"),
  MAPPING_FAILED("event.mapping-failed");

  private final String key;

  DecodeFailure(String key) {
    this.key = key;
  }

  public String key() {
    return key;
  }
}
