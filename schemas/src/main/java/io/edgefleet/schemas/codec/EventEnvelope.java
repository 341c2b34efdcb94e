package io.edgefleet.schemas.codec;

import java.time.Instant;

/**
 * CloudEvents 1.0 context attributes of a decoded event (structured mode, JSON).
 *
 * @param id unique event id
 * @param source URI-reference of the producing component, e.g. {@code /quantizer-worker/host-1}
 * @param type e.g. {@code fleet.build.completed.v1}
 * @param subject the Kafka key the event was published under
 * @param time when the event was produced
 */
public record EventEnvelope(String id, String source, String type, String subject, Instant time) {}
