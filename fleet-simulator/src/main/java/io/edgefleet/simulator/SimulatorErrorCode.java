package io.edgefleet.simulator;

import java.util.Locale;

/** What went wrong in the simulator or the benchmark; {@link #key()} is stable and safe to log or match on. */
public enum SimulatorErrorCode {
  /** A control plane call failed (network, 5xx, unreadable answer). */
  CONTROL_PLANE_ERROR,
  /** A downloaded file did not match its announced sha256 or size. */
  ARTIFACT_MISMATCH,
  /** A download of a presigned URL failed. */
  DOWNLOAD_FAILED,
  /** The real build could not be measured in the TFLite runtime. */
  PROFILING_FAILED,
  /** Invalid simulator or benchmark configuration. */
  INVALID_CONFIG,
  /** The benchmark did not reach a milestone in time. */
  TIMEOUT,
  /** A probe (Kafka lag, PostgreSQL size, process memory) could not be read. */
  PROBE_FAILED;

  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
