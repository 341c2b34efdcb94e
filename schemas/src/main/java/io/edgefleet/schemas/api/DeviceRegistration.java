package io.edgefleet.schemas.api;

import java.util.Map;
import java.util.Objects;

/**
 * {@code POST /api/devices} body: an agent registering (or re-registering after a hardware change).
 *
 * @param deviceId stable id chosen by the device (e.g. from its config or machine id)
 * @param name display name
 * @param hardware what the device reports
 * @param agentVersion agent build version
 * @param attributes device-reported free-form attributes (location, board, ...)
 */
public record DeviceRegistration(
    String deviceId, String name, HardwareProfile hardware, String agentVersion, Map<String, String> attributes) {

  public DeviceRegistration {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(hardware, "hardware");
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }
}
