package io.edgefleet.controlplane.devices;

import java.util.Map;
import java.util.TreeMap;

/**
 * Which devices a query or rollout targets: all conditions must hold.
 *
 * @param hardwareClass exact hardware class id, or null for any
 * @param attributes device attributes that must have exactly these values
 */
public record DeviceFilter(String hardwareClass, Map<String, String> attributes) {
  public DeviceFilter {
    hardwareClass = hardwareClass == null || hardwareClass.isBlank() ? null : hardwareClass;
    attributes = attributes == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(attributes));
  }

  public static DeviceFilter all() {
    return new DeviceFilter(null, Map.of());
  }
}
