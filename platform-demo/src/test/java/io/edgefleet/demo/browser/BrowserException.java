package io.edgefleet.demo.browser;

import java.util.Objects;

/** Any failure driving the headless browser, with a stable {@link ErrorCode}. */
public final class BrowserException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What went wrong; {@link #key()} is stable. */
  public enum ErrorCode {
    /** The browser binary is not installed where it was expected. */
    BROWSER_NOT_INSTALLED("browser.not-installed"),
    /** The browser process did not start or did not announce its DevTools endpoint. */
    BROWSER_START_FAILED("browser.start-failed"),
    /** The DevTools connection failed or a command answered with an error. */
    PROTOCOL_ERROR("browser.protocol-error"),
    /** A command got no answer in time. */
    TIMEOUT("browser.timeout"),
    /** Evaluated JavaScript threw. */
    SCRIPT_ERROR("browser.script-error");

    private final String key;

    ErrorCode(String key) {
      this.key = key;
    }

    public String key() {
      return key;
    }
  }

  private final ErrorCode code;

  public BrowserException(ErrorCode code, String message) {
    super(code.key() + ": " + message);
    this.code = Objects.requireNonNull(code);
  }

  public BrowserException(ErrorCode code, String message, Throwable cause) {
    super(code.key() + ": " + message, cause);
    this.code = Objects.requireNonNull(code);
  }

  public ErrorCode code() {
    return code;
  }
}
