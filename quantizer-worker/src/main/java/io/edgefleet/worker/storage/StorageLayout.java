package io.edgefleet.worker.storage;

import java.util.regex.Pattern;

/** Object keys written by the worker (see the storage layout in the integration notes). */
public final class StorageLayout {
  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

  private StorageLayout() {}

  /** {@code builds/<artifactSha256>.tflite}: quantized artifact, content-addressed. */
  public static String artifactKey(String artifactSha256) {
    return "builds/" + requireHex(artifactSha256) + ".tflite";
  }

  /** {@code references/<sha256>.efs}: float model outputs on the evaluation set (float32, no labels). */
  public static String referenceKey(String referenceSha256) {
    return "references/" + requireHex(referenceSha256) + ".efs";
  }

  /** {@code build-manifests/<buildKey>.json}: the BuildCompleted JSON, written last (the commit point of a build). */
  public static String manifestKey(String buildKey) {
    return "build-manifests/" + requireHex(buildKey) + ".json";
  }

  /**
   * {@code analyses/<modelSha256>.json}: the AnalysisCompleted JSON of a model, written last (the commit point of an
   * analysis).
   */
  public static String analysisKey(String modelSha256) {
    return "analyses/" + requireHex(modelSha256) + ".json";
  }

  private static String requireHex(String s) {
    if (s == null || !HEX64.matcher(s).matches()) {
      throw new IllegalArgumentException("expected 64 lower-case hex digits, got '" + s + "'");
    }
    return s;
  }
}
