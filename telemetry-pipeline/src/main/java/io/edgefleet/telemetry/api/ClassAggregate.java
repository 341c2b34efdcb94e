package io.edgefleet.telemetry.api;

/** All-time totals of one build on one hardware class. */
public record ClassAggregate(String hardwareClass, AggregateSnapshot totals) {}
