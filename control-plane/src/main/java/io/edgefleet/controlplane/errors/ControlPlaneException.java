package io.edgefleet.controlplane.errors;

import java.util.Objects;

/** The single base exception of the control plane; always carries an {@link ErrorCode}. */
public class ControlPlaneException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public ControlPlaneException(ErrorCode code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
  }

  public ControlPlaneException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  public ErrorCode code() {
    return code;
  }

  public static ControlPlaneException notFound(ErrorCode code, String what, String id) {
    return new ControlPlaneException(code, what + " '" + id + "' does not exist");
  }
}
