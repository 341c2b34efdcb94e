package io.edgefleet.agent.assignment;

import io.edgefleet.schemas.api.DeviceAssignment;

/** Result of one assignment poll. */
public sealed interface AssignmentPoll permits AssignmentPoll.Unchanged, AssignmentPoll.Changed {

  /** 304 Not Modified: the assignment with the sent ETag is still in force. */
  record Unchanged() implements AssignmentPoll {}

  /**
   * 200: the assignment in force.
   *
   * @param etag the response's ETag, sent back as If-None-Match next time (null if absent)
   */
  record Changed(DeviceAssignment assignment, String etag) implements AssignmentPoll {}
}
