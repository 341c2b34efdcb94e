package io.edgefleet.controlplane.devices;

import java.util.Map;
import java.util.TreeMap;

/**
 * Which devices a listing or rollout targets: all given conditions must hold.
 *
 * @param hardwareClass exact hardware class id, or null for any
 * @param attributes device attributes that must have exactly these values
 * @param tag a tag the device must carry (from its {@code tags} attribute), or null
 * @param query RSQL/FIQL device query (see {@code devices.query.SqlTranslator}), or null
 */
public record DeviceFilter(String hardwareClass, Map<String, String> attributes, String tag, String query) {
  public DeviceFilter {
    hardwareClass = blankToNull(hardwareClass);
    attributes = attributes == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(attributes));
    tag = blankToNull(tag);
    query = blankToNull(query);
  }

  public DeviceFilter(String hardwareClass, Map<String, String> attributes) {
    this(hardwareClass, attributes, null, null);
  }

  public static DeviceFilter all() {
    return new DeviceFilter(null, Map.of());
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
