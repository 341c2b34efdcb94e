package io.edgefleet.agent;

import java.util.Objects;

/** The one exception type of the agent; {@link #code()} says what failed. */
public class AgentException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final AgentErrorCode code;

  public AgentException(AgentErrorCode code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code);
  }

  public AgentException(AgentErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code);
  }

  public AgentErrorCode code() {
    return code;
  }

  /** {@code <key>: <message>}, the form used in feedback reasons. */
  public String reason() {
    return code.key() + ": " + super.getMessage();
  }
}
