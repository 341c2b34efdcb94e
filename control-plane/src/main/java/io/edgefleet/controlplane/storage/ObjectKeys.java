package io.edgefleet.controlplane.storage;

/** Content-addressed object-storage layout shared with the worker (see docs/integration). */
public final class ObjectKeys {
  private ObjectKeys() {}

  /** Float model uploaded by the operator. */
  public static String model(String sha256) {
    return "models/" + sha256 + ".tflite";
  }

  /** Calibration or evaluation sample set. */
  public static String samples(String sha256) {
    return "samples/" + sha256 + ".efs";
  }
}
