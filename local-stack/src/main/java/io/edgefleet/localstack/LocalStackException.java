package io.edgefleet.localstack;

/** The one exception type of the local stack; {@link #code()} tells what went wrong. */
public class LocalStackException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final LocalStackErrorCode code;
    private final String detail;

    public LocalStackException(LocalStackErrorCode code, String message) {
        super("[" + code.key() + "] " + message);
        this.code = code;
        this.detail = message;
    }

    public LocalStackException(LocalStackErrorCode code, String message, Throwable cause) {
        super("[" + code.key() + "] " + message, cause);
        this.code = code;
        this.detail = message;
    }

    /** The message without the error-code prefix. */
    public String detail() {
        return detail;
    }

    public LocalStackErrorCode code() {
        return code;
    }
}
