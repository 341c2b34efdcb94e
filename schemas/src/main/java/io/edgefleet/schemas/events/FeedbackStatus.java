package io.edgefleet.schemas.events;

/** What a device reports about its assignment, in the order it normally happens. */
public enum FeedbackStatus {
  DOWNLOADING,
  DOWNLOADED,
  INSTALLING,
  INSTALLED,
  RUNNING,
  FAILED,
  ROLLED_BACK;

  /** Whether the device is done with this assignment (successfully or not). */
  public boolean isTerminal() {
    return this == RUNNING || this == FAILED || this == ROLLED_BACK;
  }
}
