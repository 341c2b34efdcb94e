package io.edgefleet.worker.jobs;

import io.edgefleet.quantization.QuantizationException;
import io.edgefleet.schemas.events.BuildFailed;
import io.edgefleet.worker.WorkerErrorCode;
import io.edgefleet.worker.WorkerException;
import java.time.Instant;

/**
 * Turns a build's exception into its {@link BuildFailed} event: quantization errors are final (bad model, unsupported
 * op, bad samples) and keep the quantization error key; worker errors carry their own key and retriability; anything
 * else is an internal error.
 */
public final class FailureMapping {
  /** Longest message put into an event. */
  static final int MAX_MESSAGE_CHARS = 2000;

  private FailureMapping() {}

  /** The failure event for {@code error}. */
  public static BuildFailed toBuildFailed(String buildKey, Throwable error, String workerId, Instant now) {
    String code;
    boolean retriable;
    String message;
    if (error instanceof QuantizationException) {
      QuantizationException qe = (QuantizationException) error;
      code = qe.code().key();
      retriable = false;
      message = qe.getMessage();
    } else if (error instanceof WorkerException) {
      WorkerException we = (WorkerException) error;
      code = we.code().key();
      retriable = we.code().retriable();
      message = we.getMessage();
    } else {
      code = WorkerErrorCode.INTERNAL_ERROR.key();
      retriable = WorkerErrorCode.INTERNAL_ERROR.retriable();
      message = "[" + code + "] unexpected error in the worker (details in the worker log): " + error.getMessage();
    }
    return new BuildFailed(buildKey, code, truncate(message), retriable, workerId, now);
  }

  private static String truncate(String s) {
    if (s == null) {
      return "";
    }
    return s.length() <= MAX_MESSAGE_CHARS ? s : s.substring(0, MAX_MESSAGE_CHARS - 3) + "...";
  }
}
