package io.edgefleet.worker.jobs;

import io.edgefleet.quantization.QuantizationException;
import io.edgefleet.quantizer.mixed.QuantizerCliException;
import io.edgefleet.schemas.events.AnalysisFailed;
import io.edgefleet.schemas.events.BuildFailed;
import io.edgefleet.worker.WorkerErrorCode;
import io.edgefleet.worker.WorkerException;
import java.time.Instant;

/**
 * Turns a job's exception into its failure event: quantization errors are final (bad model, unsupported op, bad
 * samples) and keep the quantization error key, as do errors of the mixed-precision pipeline; worker errors carry their
 * own key and retriability; anything else is an internal error.
 */
public final class FailureMapping {
  /** Longest message put into an event. */
  static final int MAX_MESSAGE_CHARS = 2000;

  private FailureMapping() {}

  /**
   * The classified failure.
   *
   * @param code stable error key
   * @param retriable whether asking again may succeed
   * @param message human-readable reason, at most {@link #MAX_MESSAGE_CHARS} characters
   */
  public record Failure(String code, boolean retriable, String message) {}

  /** Classifies {@code error}. */
  public static Failure classify(Throwable error) {
    String code;
    boolean retriable;
    String message;
    if (error instanceof QuantizationException) {
      QuantizationException qe = (QuantizationException) error;
      code = qe.code().key();
      retriable = false;
      message = qe.getMessage();
    } else if (error instanceof QuantizerCliException) {
      QuantizerCliException ce = (QuantizerCliException) error;
      code = ce.code().key();
      retriable = false;
      message = ce.getMessage();
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
    return new Failure(code, retriable, truncate(message));
  }

  /** Whether {@code error} is an expected, classified failure (as opposed to a bug worth a stack trace). */
  public static boolean isExpected(Throwable error) {
    return error instanceof QuantizationException
        || error instanceof QuantizerCliException
        || error instanceof WorkerException;
  }

  /** The build failure event for {@code error}. */
  public static BuildFailed toBuildFailed(String buildKey, Throwable error, String workerId, Instant now) {
    Failure f = classify(error);
    return new BuildFailed(buildKey, f.code(), f.message(), f.retriable(), workerId, now);
  }

  /** The analysis failure event for {@code error}. */
  public static AnalysisFailed toAnalysisFailed(
      String modelId, String modelSha256, Throwable error, String workerId, Instant now) {
    Failure f = classify(error);
    return new AnalysisFailed(modelId, modelSha256, f.code(), f.message(), f.retriable(), workerId, now);
  }

  private static String truncate(String s) {
    if (s == null) {
      return "";
    }
    return s.length() <= MAX_MESSAGE_CHARS ? s : s.substring(0, MAX_MESSAGE_CHARS - 3) + "...";
  }
}
