package io.edgefleet.controlplane.errors;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** The single base exception of the control plane; always carries an {@link ErrorCode}. */
public class ControlPlaneException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final transient Map<String, Object> extensions = new LinkedHashMap<>();

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

  /**
   * Adds an RFC 9457 extension member to the problem this exception becomes (e.g. the constraint that cannot be met
   * and its smallest achievable value); values must serialise as JSON.
   */
  public ControlPlaneException with(String member, Object value) {
    extensions.put(Objects.requireNonNull(member, "member"), value);
    return this;
  }

  /** Extension members, in insertion order. */
  public Map<String, Object> extensions() {
    return Collections.unmodifiableMap(extensions);
  }

  public static ControlPlaneException notFound(ErrorCode code, String what, String id) {
    return new ControlPlaneException(code, what + " '" + id + "' does not exist");
  }
}
