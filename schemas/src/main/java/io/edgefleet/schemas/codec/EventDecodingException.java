package io.edgefleet.schemas.codec;

/** A record value that is not a valid event of a known type. Never retriable: route the record to the dead-letter topic. */
public final class EventDecodingException extends Exception {
  private static final long serialVersionUID = 1L;

  private final DecodeFailure failure;

  public EventDecodingException(DecodeFailure failure, String message) {
    super(failure.key() + ": " + message);
    this.failure = failure;
  }

  public EventDecodingException(DecodeFailure failure, String message, Throwable cause) {
    super(failure.key() + ": " + message, cause);
    this.failure = failure;
  }

  public DecodeFailure failure() {
    return failure;
  }
}
