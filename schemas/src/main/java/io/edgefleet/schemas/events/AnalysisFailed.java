package io.edgefleet.schemas.events;

import java.time.Instant;
import java.util.Objects;

/**
 * An analysis that could not be produced. Type {@code fleet.analysis.failed.v1}, topic
 * {@link io.edgefleet.schemas.Topics#ANALYSIS_RESULTS}.
 *
 * @param errorCode stable error key (e.g. {@code UNSUPPORTED_OP}, {@code CORRUPT_MODEL})
 * @param message human-readable reason
 * @param retriable whether asking again may succeed
 */
public record AnalysisFailed(
    String modelId, String modelSha256, String errorCode, String message, boolean retriable, String workerId,
    Instant failedAt)
    implements AnalysisEvent {

  public AnalysisFailed {
    Objects.requireNonNull(modelSha256, "modelSha256");
    Objects.requireNonNull(errorCode, "errorCode");
  }
}
