package io.edgefleet.schemas.events;

import java.util.Arrays;
import java.util.Optional;

/** CloudEvents {@code type} of every event record, with the JSON Schema that validates its {@code data}. */
public enum EventType {
  BUILD_REQUESTED("fleet.build.requested.v1", BuildRequested.class),
  BUILD_COMPLETED("fleet.build.completed.v1", BuildCompleted.class),
  BUILD_FAILED("fleet.build.failed.v1", BuildFailed.class),
  DEVICE_FEEDBACK("fleet.device.feedback.v1", DeviceFeedback.class),
  INFERENCE_TELEMETRY("fleet.telemetry.inference.v1", InferenceTelemetry.class),
  DESIRED_STATE("fleet.device.desired-state.v1", DesiredState.class),
  ANALYSIS_REQUESTED("fleet.analysis.requested.v1", AnalysisRequested.class),
  ANALYSIS_COMPLETED("fleet.analysis.completed.v1", AnalysisCompleted.class),
  ANALYSIS_FAILED("fleet.analysis.failed.v1", AnalysisFailed.class);

  private final String type;
  private final Class<? extends FleetEvent> recordClass;

  EventType(String type, Class<? extends FleetEvent> recordClass) {
    this.type = type;
    this.recordClass = recordClass;
  }

  /** The CloudEvents type string. */
  public String type() {
    return type;
  }

  public Class<? extends FleetEvent> recordClass() {
    return recordClass;
  }

  /** Classpath resource of the JSON Schema (draft 2020-12) for the event's {@code data}. */
  public String schemaResource() {
    return "/io/edgefleet/schemas/json/" + type + ".schema.json";
  }

  public static Optional<EventType> fromType(String type) {
    return Arrays.stream(values()).filter(t -> t.type.equals(type)).findFirst();
  }

  /** The type of an event record. Every permitted record has exactly one entry (checked by a test). */
  public static EventType of(FleetEvent event) {
    for (EventType t : values()) {
      if (t.recordClass == event.getClass()) {
        return t;
      }
    }
    throw new IllegalArgumentException("no event type for " + event.getClass().getName());
  }
}
