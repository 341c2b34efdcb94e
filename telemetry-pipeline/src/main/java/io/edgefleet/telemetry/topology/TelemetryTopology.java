package io.edgefleet.telemetry.topology;

import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.telemetry.aggregate.DedupStateSerde;
import io.edgefleet.telemetry.aggregate.TelemetryAggregate;
import io.edgefleet.telemetry.aggregate.TelemetryAggregateSerde;
import io.edgefleet.telemetry.config.TelemetryPipelineConfig;
import io.edgefleet.telemetry.metrics.PipelineMetrics;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The telemetry topology (side-effect free: builds a description, touches nothing):
 *
 * <pre>
 *   fleet.telemetry (key device id, EventCodec bytes)
 *     → telemetry-ingest [decode → validate → dedup (telemetry-dedup) → fold into:
 *          telemetry-build-class-windows, telemetry-rollout-build-windows, telemetry-device-windows (tumbling windows),
 *          telemetry-build-class-totals (all time)]
 *     → fleet.telemetry.dlq (undecodable / inconsistent records, original key and value, DLQ headers)
 * </pre>
 *
 * <p>No repartitioning: every store is partitioned by device id like the input, so one batch costs one read, cached
 * store updates and (batched) changelog writes. Aggregates for a build are therefore partial per partition; the query
 * layer merges them (they are mergeable: histogram union, sums, distinct-device union).
 */
public final class TelemetryTopology {
  static final String SOURCE = "telemetry-source";
  static final String INGEST = "telemetry-ingest";
  static final String DLQ_SINK = "telemetry-dlq-sink";

  private TelemetryTopology() {}

  /** The topology with throw-away metrics and the system clock. */
  public static Topology build(TelemetryPipelineConfig config) {
    return build(config, new PipelineMetrics(), Clock.systemUTC());
  }

  /** The topology recording into {@code metrics}; {@code clock} gives freshness and dedup retention time. */
  public static Topology build(TelemetryPipelineConfig config, PipelineMetrics metrics, Clock clock) {
    EventCodec codec = new EventCodec();
    TelemetryValidator validator = new TelemetryValidator(config.maxClockSkew());
    TelemetryAggregateSerde aggregateSerde = new TelemetryAggregateSerde();
    Topology topology = new Topology();
    topology.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), config.inputTopic());
    topology.addProcessor(INGEST,
        () -> new TelemetryIngestProcessor(codec, validator, metrics, clock, config.windowSize(), config.windowGrace(),
            config.dedupRetention(), DLQ_SINK),
        SOURCE);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TelemetryStores.DEDUP), Serdes.String(),
            new DedupStateSerde()).withCachingEnabled(),
        INGEST);
    for (String name : new String[] {
        TelemetryStores.BUILD_CLASS_WINDOWS, TelemetryStores.ROLLOUT_BUILD_WINDOWS, TelemetryStores.DEVICE_WINDOWS}) {
      topology.addStateStore(windowStore(name, config.windowRetention(), config.windowSize(), aggregateSerde), INGEST);
    }
    topology.addStateStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TelemetryStores.BUILD_CLASS_TOTALS),
            Serdes.String(), aggregateSerde).withCachingEnabled(),
        INGEST);
    topology.addSink(DLQ_SINK, config.deadLetterTopic(), new ByteArraySerializer(), new ByteArraySerializer(), INGEST);
    return topology;
  }

  private static StoreBuilder<WindowStore<String, TelemetryAggregate>> windowStore(
      String name, Duration retention, Duration size, TelemetryAggregateSerde serde) {
    return Stores.windowStoreBuilder(Stores.persistentWindowStore(name, retention, size, false), Serdes.String(), serde)
        .withCachingEnabled();
  }
}
