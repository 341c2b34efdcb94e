package io.edgefleet.telemetry.query;

import io.edgefleet.telemetry.aggregate.TelemetryAggregate;
import java.util.List;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * Read access to one aggregate store as a list of partial stores (one per locally hosted partition). Values under the
 * same key in different partial stores are partial aggregates to be merged.
 */
public interface AggregateStores {

  /** The partial window stores of {@code storeName}. */
  List<ReadOnlyWindowStore<String, TelemetryAggregate>> windowStores(String storeName);

  /** The partial key-value stores of {@code storeName}. */
  List<ReadOnlyKeyValueStore<String, TelemetryAggregate>> keyValueStores(String storeName);
}
