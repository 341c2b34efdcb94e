package io.edgefleet.worker;

/**
 * Stable error codes of the quantizer worker. The {@link #key()} is part of the public contract: it appears as
 * {@code errorCode} of {@code fleet.build.failed.v1} / {@code fleet.analysis.failed.v1} events and in dead-letter reasons.
 */
public enum WorkerErrorCode {
  /** The worker configuration is missing a value or has an invalid one (start-up only). */
  INVALID_CONFIG("worker.invalid-config", false),
  /** The build request is structurally valid JSON but breaks the contract (e.g. key/buildKey mismatch). */
  INVALID_REQUEST("worker.invalid-request", false),
  /** The float model's sha256 differs from {@code BuildRequested.modelSha256}. */
  MODEL_HASH_MISMATCH("worker.model-hash-mismatch", false),
  /** An input object named by the request (model, calibration or evaluation set) does not exist. */
  INPUT_MISSING("worker.input-missing", false),
  /** Object storage could not be reached or answered with a server error, retries exhausted. */
  STORAGE_UNAVAILABLE("worker.storage-unavailable", true),
  /** Object storage refused a request (credentials, permissions, missing bucket). Fix the setup and ask again. */
  STORAGE_REJECTED("worker.storage-rejected", true),
  /**
   * A MIXED plan does not fit the model: unknown or missing layer id, operator mismatch, unknown precision key, or a
   * precision the layer cannot be built with.
   */
  INVALID_PLAN("worker.invalid-plan", false),
  /** The model analysis did not finish within the configured analysis timeout. */
  ANALYSIS_TIMEOUT("worker.analysis-timeout", true),
  /** The build did not finish within the configured build timeout. */
  BUILD_TIMEOUT("worker.build-timeout", true),
  /** Publishing to Kafka failed. */
  KAFKA_UNAVAILABLE("worker.kafka-unavailable", true),
  /** An unexpected error inside the worker (a bug): reported, never retried automatically. */
  INTERNAL_ERROR("worker.internal-error", false);

  private final String key;
  private final boolean retriable;

  WorkerErrorCode(String key, boolean retriable) {
    this.key = key;
    this.retriable = retriable;
  }

  public String key() {
    return key;
  }

  /** Whether asking for the same build again may succeed. */
  public boolean retriable() {
    return retriable;
  }
}
