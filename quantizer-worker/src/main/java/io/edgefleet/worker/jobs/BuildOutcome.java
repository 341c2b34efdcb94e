package io.edgefleet.worker.jobs;

import io.edgefleet.schemas.events.BuildCompleted;
import io.edgefleet.schemas.events.BuildEvent;
import io.edgefleet.schemas.events.BuildFailed;
import java.util.Objects;

/** What became of one build request: the result event to publish on the build results topic. */
public sealed interface BuildOutcome permits BuildOutcome.Completed, BuildOutcome.Failed {

  /** The event to publish. */
  BuildEvent event();

  /**
   * A stored, signed build.
   *
   * @param event the completion event (identical to the build manifest)
   * @param reused true if the build manifest already existed and nothing was rebuilt
   */
  record Completed(BuildCompleted event, boolean reused) implements BuildOutcome {
    public Completed {
      Objects.requireNonNull(event, "event");
    }
  }

  /** A build that could not be produced. */
  record Failed(BuildFailed event) implements BuildOutcome {
    public Failed {
      Objects.requireNonNull(event, "event");
    }
  }
}
