package io.edgefleet.controlplane.rollouts;

/** Where one targeted device stands in a rollout. */
public enum DeviceRolloutStatus {
  /** In a rollout group that has not started yet. */
  PENDING,
  /** The build for the device's hardware class is not finished yet. */
  WAITING_FOR_BUILD,
  /** Desired state published; the device has not reported yet. */
  ASSIGNED,
  DOWNLOADING,
  DOWNLOADED,
  INSTALLING,
  INSTALLED,
  /** Running the new build: success. */
  RUNNING,
  /** The build failed, or the device failed to install/run it. */
  FAILED,
  /** The device rejected the build and went back to its previous one. */
  ROLLED_BACK,
  /** A later rollout assigned the device something else before it finished this one. */
  SUPERSEDED,
  /** The rollout was stopped or rolled back before the device was assigned. */
  CANCELLED;

  public boolean isTerminal() {
    return this == RUNNING || this == FAILED || this == ROLLED_BACK || this == SUPERSEDED || this == CANCELLED;
  }
}
