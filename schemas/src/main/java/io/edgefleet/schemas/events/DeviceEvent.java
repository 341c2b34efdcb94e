package io.edgefleet.schemas.events;

/** Device-scoped events, keyed by device id so that they stay ordered per device. */
public sealed interface DeviceEvent extends FleetEvent permits DeviceFeedback, InferenceTelemetry, DesiredState {

  String deviceId();

  @Override
  default String key() {
    return deviceId();
  }
}
