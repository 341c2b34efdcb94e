package io.edgefleet.agent;

import java.util.Locale;

/** Stable error codes of the edge agent. {@link #key()} appears in feedback reasons and logs. */
public enum AgentErrorCode {
  /** The configuration is missing a value or has an invalid one. */
  INVALID_CONFIG,
  /** Host introspection failed. */
  HARDWARE_INTROSPECTION_FAILED,
  /** The control plane answered 5xx / 429 (retriable). */
  CONTROL_PLANE_ERROR,
  /** The control plane refused the request (4xx) or sent an unreadable body (not retriable as is). */
  CONTROL_PLANE_REJECTED,
  /** The control plane (or the artifact URL) could not be reached; retried. */
  NETWORK_UNAVAILABLE,
  /** The download failed (bad status, too many bytes, interrupted). */
  DOWNLOAD_FAILED,
  /** sha256 or size of the downloaded artifact does not match the assignment. */
  INTEGRITY_MISMATCH,
  /** The artifact signature is missing, invalid, or made by a key this device does not trust. */
  SIGNATURE_REJECTED,
  /** The installed model failed the smoke test (load, finite outputs, agreement bound). */
  SMOKE_TEST_FAILED,
  /** A newly activated build failed its post-activation health window and was rolled back. */
  HEALTH_CHECK_FAILED,
  /** Reading or writing the slot directories or active.json failed. */
  SLOT_IO_FAILED,
  /** The optional per-operator profile of the served model could not be taken (serving is not affected). */
  PROFILE_FAILED,
  /** The telemetry spool could not be read or written. */
  SPOOL_IO_FAILED,
  /** The device key or its files could not be created or read. */
  DEVICE_KEY_FAILED,
  /** The control plane knows the device's key but an admin has not accepted it yet (retried at the poll interval). */
  DEVICE_AUTH_PENDING,
  /** An admin rejected the device's key (retried slowly: the admin may accept it later). */
  DEVICE_AUTH_REJECTED;

  /** Stable lower-case key, e.g. {@code signature_rejected}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether retrying the same operation later can succeed without a change on the server side. */
  public boolean retriable() {
    return this == NETWORK_UNAVAILABLE || this == CONTROL_PLANE_ERROR || this == DOWNLOAD_FAILED;
  }
}
