package io.edgefleet.controlplane.auth;

/** Life cycle of a (device id, public key) auth set. */
public enum AuthSetStatus {
  /** Seen at enrolment, waiting for an admin decision. */
  PENDING,
  /** Accepted by an admin: the key may obtain tokens. */
  ACCEPTED,
  /** Vouched for before the device ever called (factory provisioning); becomes ACCEPTED at the first enrolment. */
  PREAUTHORIZED,
  /** Rejected by an admin, or superseded by another accepted key of the same device. */
  REJECTED;

  /** Whether a key in this status may obtain and use tokens. */
  public boolean usable() {
    return this == ACCEPTED || this == PREAUTHORIZED;
  }
}
