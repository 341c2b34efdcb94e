package io.edgefleet.deploy;

/** The one exception of this module: rendering or validation could not run (not: the manifests are wrong). */
public final class DeployException extends RuntimeException {

  private final ErrorCode code;

  public DeployException(ErrorCode code, String message) {
    super(code.key() + ": " + message);
    this.code = code;
  }

  public DeployException(ErrorCode code, String message, Throwable cause) {
    super(code.key() + ": " + message, cause);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }
}
