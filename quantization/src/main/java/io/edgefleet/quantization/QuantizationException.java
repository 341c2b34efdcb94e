package io.edgefleet.quantization;

import java.util.Objects;

/** The single base exception of the quantization module; always carries an {@link ErrorCode}. */
public class QuantizationException extends RuntimeException {
    private final ErrorCode code;

    public QuantizationException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public QuantizationException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }

    @Override
    public String getMessage() {
        return "[" + code.key() + "] " + super.getMessage();
    }
}
