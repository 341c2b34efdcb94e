package io.edgefleet.quantizer.mixed;

import java.util.Objects;

/** The single base exception of the quantizer-cli module; always carries a {@link CliErrorCode}. */
public class QuantizerCliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final CliErrorCode code;

    public QuantizerCliException(CliErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public QuantizerCliException(CliErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public CliErrorCode code() {
        return code;
    }

    @Override
    public String getMessage() {
        return "[" + code.key() + "] " + super.getMessage();
    }
}
