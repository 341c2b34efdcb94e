package io.edgefleet.controlplane.messaging;

import io.edgefleet.schemas.codec.EventCodec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** One shared, thread-safe {@link EventCodec} (it compiles the JSON Schemas once). */
@ApplicationScoped
public class CodecProducer {
  @Produces
  @Singleton
  EventCodec eventCodec() {
    return new EventCodec();
  }
}
