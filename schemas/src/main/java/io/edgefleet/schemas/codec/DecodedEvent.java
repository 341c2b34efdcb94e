package io.edgefleet.schemas.codec;

import io.edgefleet.schemas.events.FleetEvent;

/** An event record together with its CloudEvents attributes. */
public record DecodedEvent<E extends FleetEvent>(EventEnvelope envelope, E event) {}
