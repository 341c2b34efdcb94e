package io.edgefleet.worker.analysis;

import io.edgefleet.schemas.events.AnalysisCompleted;
import io.edgefleet.schemas.events.AnalysisEvent;
import io.edgefleet.schemas.events.AnalysisFailed;
import java.util.Objects;

/** What became of one analysis request: the result event to publish on the analysis results topic. */
public sealed interface AnalysisOutcome permits AnalysisOutcome.Completed, AnalysisOutcome.Failed {

  /** The event to publish. */
  AnalysisEvent event();

  /**
   * A measured (or stored) analysis.
   *
   * @param event the completion event
   * @param reused true if it was answered from the stored analysis object without measuring
   */
  record Completed(AnalysisCompleted event, boolean reused) implements AnalysisOutcome {
    public Completed {
      Objects.requireNonNull(event, "event");
    }
  }

  /** An analysis that could not be produced. */
  record Failed(AnalysisFailed event) implements AnalysisOutcome {
    public Failed {
      Objects.requireNonNull(event, "event");
    }
  }
}
