package io.edgefleet.schemas.events;

/**
 * Every event that travels over Kafka. Each concrete record declares its CloudEvents {@code type} in
 * {@link EventType} and the Kafka key it is published under.
 */
public sealed interface FleetEvent permits BuildEvent, DeviceEvent, AnalysisEvent {

  /** The Kafka record key this event must be published with. */
  String key();
}
