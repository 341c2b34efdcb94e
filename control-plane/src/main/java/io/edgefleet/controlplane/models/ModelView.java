package io.edgefleet.controlplane.models;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A model version as the API shows it. */
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
    Instant createdAt) {}
