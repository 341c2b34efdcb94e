package io.edgefleet.telemetry.api;

import java.time.Instant;
import java.util.List;

/** {@code GET /aggregates/devices/{deviceId}}: the device's windows whose start lies in [from, to], and their merge. */
public record DeviceAggregates(
    String deviceId, Instant from, Instant to, long windowSizeMillis, AggregateSnapshot total, List<WindowPoint> windows) {
  public DeviceAggregates {
    windows = List.copyOf(windows);
  }
}
