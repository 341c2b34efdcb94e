package io.edgefleet.fleetctl;

import java.util.Objects;

/** Every error fleetctl reports; {@link #code()} decides the exit status. */
public class FleetctlException extends RuntimeException {
  private final ErrorCode code;

  public FleetctlException(ErrorCode code, String message) {
    this(code, message, null);
  }

  public FleetctlException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  public ErrorCode code() {
    return code;
  }

  /** Stable error keys and the exit status each maps to. */
  public enum ErrorCode {
    /** The command line is wrong (bad option value, missing file). */
    INVALID_ARGUMENT("fleetctl.invalid-argument", ExitCodes.USAGE),
    /** The control plane rejected the request (4xx problem+json). */
    REQUEST_REJECTED("fleetctl.request-rejected", ExitCodes.REJECTED),
    /** The credentials were missing, invalid or lack the role (401/403). */
    NOT_AUTHORIZED("fleetctl.not-authorized", ExitCodes.NOT_AUTHORIZED),
    /** The control plane failed (5xx) or answered something that is not the documented JSON. */
    SERVER_ERROR("fleetctl.server-error", ExitCodes.UNAVAILABLE),
    /** The control plane could not be reached. */
    UNREACHABLE("fleetctl.unreachable", ExitCodes.UNAVAILABLE),
    /** A watched rollout ended in a state other than FINISHED, or needs an operator (paused). */
    ROLLOUT_NOT_FINISHED("fleetctl.rollout-not-finished", ExitCodes.ROLLOUT_NOT_FINISHED),
    /** A wait ran out of time. */
    TIMEOUT("fleetctl.timeout", ExitCodes.TIMEOUT),
    /** A local file could not be read or written. */
    IO_ERROR("fleetctl.io-error", ExitCodes.USAGE);

    private final String key;
    private final int exitCode;

    ErrorCode(String key, int exitCode) {
      this.key = key;
      this.exitCode = exitCode;
    }

    public String key() {
      return key;
    }

    public int exitCode() {
      return exitCode;
    }
  }
}
