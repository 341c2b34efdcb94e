package io.edgefleet.telemetry;

import java.util.Objects;

/** The single base exception of the telemetry pipeline; always carries a {@link TelemetryErrorCode}. */
public class TelemetryPipelineException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final TelemetryErrorCode code;

  public TelemetryPipelineException(TelemetryErrorCode code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
  }

  public TelemetryPipelineException(TelemetryErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  public TelemetryErrorCode code() {
    return code;
  }

  /** The message without the code prefix. */
  public String detail() {
    return super.getMessage();
  }

  /** The dead-letter reason: {@code <key>: <detail>}. */
  public String reason() {
    return code.key() + ": " + super.getMessage();
  }

  @Override
  public String getMessage() {
    return "[" + code.key() + "] " + super.getMessage();
  }
}
