package io.edgefleet.telemetry.api;

import java.util.List;

/**
 * {@code GET /aggregates/builds/{buildKey}}: all-time totals of a build over every hardware class (merged histograms),
 * and per hardware class.
 */
public record BuildAggregates(String buildKey, AggregateSnapshot totals, List<ClassAggregate> byHardwareClass) {
  public BuildAggregates {
    byHardwareClass = List.copyOf(byHardwareClass);
  }
}
