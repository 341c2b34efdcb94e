package io.edgefleet.controlplane.builds;

/** Lifecycle of a build as the control plane sees it. */
public enum BuildStatus {
  REQUESTED,
  COMPLETED,
  FAILED
}
