package io.edgefleet.controlplane.models;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A model version as the API shows it.
 *
 * @param analysisStatus PENDING until a worker has measured the model, then READY (rollouts possible) or FAILED
 * @param analysisError why the analysis failed (null unless FAILED)
 */
public record ModelView(
    String id,
    String name,
    int version,
    String sha256,
    long sizeBytes,
    String objectKey,
    String calibrationSha256,
    int calibrationSamples,
    String evalSha256,
    int evalSamples,
    List<Integer> inputShape,
    String inputType,
    List<Integer> outputShape,
    int operatorCount,
    Map<String, Integer> opCounts,
    long totalMacs,
    long totalParameters,
    Instant createdAt,
    AnalysisStatus analysisStatus,
    Instant analysisRequestedAt,
    Instant analysisUpdatedAt,
    AnalysisError analysisError) {

  /** A failed analysis: the worker's error code and message, and whether asking again may succeed. */
  public record AnalysisError(String code, String message, boolean retriable) {}
}
