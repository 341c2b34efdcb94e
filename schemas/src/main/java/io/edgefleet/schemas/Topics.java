package io.edgefleet.schemas;

/**
 * Kafka topic catalog. Every value is a CloudEvents structured-mode JSON document (see
 * {@link io.edgefleet.schemas.codec.EventCodec}); the key is a UTF-8 string.
 *
 * <p>Each topic has a dead-letter companion named {@code <topic>.dlq}: a consumer that cannot decode or
 * process a record copies the original key and value there, with headers {@link #DLQ_REASON_HEADER},
 * {@link #DLQ_SOURCE_TOPIC_HEADER}, {@link #DLQ_SOURCE_PARTITION_HEADER}, {@link #DLQ_SOURCE_OFFSET_HEADER},
 * and moves on.
 */
public final class Topics {

  /**
   * Build jobs for the quantizer worker group. Key: build key (sha256 of model sha256 + plan hash). Value:
   * {@code fleet.build.requested.v1} ({@link io.edgefleet.schemas.events.BuildRequested}). Same key means the
   * same build: workers deduplicate on it.
   */
  public static final String BUILD_REQUESTS = "fleet.build.requests";

  /**
   * Build outcomes. Key: build key. Value: {@code fleet.build.completed.v1} or {@code fleet.build.failed.v1}.
   */
  public static final String BUILD_RESULTS = "fleet.build.results";

  /**
   * Device feedback on assignments (downloading, installed, failed, rolled back, ...). Key: device id (ordering per
   * device). Value: {@code fleet.device.feedback.v1}.
   */
  public static final String DEVICE_FEEDBACK = "fleet.device.feedback";

  /**
   * Inference telemetry batches from agents. Key: device id. Value: {@code fleet.telemetry.inference.v1}.
   */
  public static final String TELEMETRY = "fleet.telemetry";

  /**
   * Per-device desired state, log-compacted. Key: device id. Value: {@code fleet.device.desired-state.v1}; the
   * latest record per device is the assignment in force.
   */
  public static final String DESIRED_STATE = "fleet.device.desired-state";

  /**
   * Model analysis jobs for the quantizer worker group. Key: model sha256. Value: {@code fleet.analysis.requested.v1}
   * ({@link io.edgefleet.schemas.events.AnalysisRequested}).
   */
  public static final String ANALYSIS_REQUESTS = "fleet.analysis.requests";

  /**
   * Analysis outcomes. Key: model sha256. Value: {@code fleet.analysis.completed.v1} or
   * {@code fleet.analysis.failed.v1}.
   */
  public static final String ANALYSIS_RESULTS = "fleet.analysis.results";

  public static final String DLQ_SUFFIX = ".dlq";
  public static final String DLQ_REASON_HEADER = "dlq-reason";
  public static final String DLQ_SOURCE_TOPIC_HEADER = "dlq-source-topic";
  public static final String DLQ_SOURCE_PARTITION_HEADER = "dlq-source-partition";
  public static final String DLQ_SOURCE_OFFSET_HEADER = "dlq-source-offset";

  private Topics() {}

  /** Dead-letter topic of {@code topic}. */
  public static String deadLetter(String topic) {
    return topic + DLQ_SUFFIX;
  }
}
