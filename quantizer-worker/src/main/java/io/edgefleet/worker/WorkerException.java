package io.edgefleet.worker;

import java.util.Objects;

/** The single base exception of the quantizer worker; always carries a {@link WorkerErrorCode}. */
public class WorkerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final WorkerErrorCode code;

  public WorkerException(WorkerErrorCode code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
  }

  public WorkerException(WorkerErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  public WorkerErrorCode code() {
    return code;
  }

  /** Whether the operation that failed may succeed when simply repeated after a pause (infrastructure hiccup). */
  public boolean isTransient() {
    return code == WorkerErrorCode.STORAGE_UNAVAILABLE || code == WorkerErrorCode.KAFKA_UNAVAILABLE;
  }

  @Override
  public String getMessage() {
    return "[" + code.key() + "] " + super.getMessage();
  }
}
