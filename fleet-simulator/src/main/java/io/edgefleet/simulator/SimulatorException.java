package io.edgefleet.simulator;

import java.util.Objects;

/** The one exception type of the simulator module; carries a {@link SimulatorErrorCode}. */
public class SimulatorException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final SimulatorErrorCode code;

  public SimulatorException(SimulatorErrorCode code, String message) {
    super(code.key() + ": " + message);
    this.code = Objects.requireNonNull(code);
  }

  public SimulatorException(SimulatorErrorCode code, String message, Throwable cause) {
    super(code.key() + ": " + message, cause);
    this.code = Objects.requireNonNull(code);
  }

  public SimulatorErrorCode code() {
    return code;
  }
}
