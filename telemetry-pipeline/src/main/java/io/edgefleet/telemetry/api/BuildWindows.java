package io.edgefleet.telemetry.api;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /aggregates/builds/{buildKey}/windows}: time series of a build, on one hardware class or (hardwareClass
 * null) merged over all classes. Windows whose start lies in [from, to], oldest first.
 */
public record BuildWindows(
    String buildKey, String hardwareClass, Instant from, Instant to, long windowSizeMillis, List<WindowPoint> windows) {
  public BuildWindows {
    windows = List.copyOf(windows);
  }
}
