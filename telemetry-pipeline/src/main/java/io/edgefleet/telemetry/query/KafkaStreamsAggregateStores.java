package io.edgefleet.telemetry.query;

import io.edgefleet.telemetry.TelemetryErrorCode;
import io.edgefleet.telemetry.TelemetryPipelineException;
import io.edgefleet.telemetry.aggregate.TelemetryAggregate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * {@link AggregateStores} over a running {@link KafkaStreams}: one store per active local task (= input partition), so
 * that partial aggregates of the same key are merged rather than shadowed (the default composite store would return the
 * first partition's value only).
 */
public final class KafkaStreamsAggregateStores implements AggregateStores {
  private final KafkaStreams streams;

  public KafkaStreamsAggregateStores(KafkaStreams streams) {
    this.streams = Objects.requireNonNull(streams);
  }

  @Override
  public List<ReadOnlyWindowStore<String, TelemetryAggregate>> windowStores(String storeName) {
    return stores(storeName, QueryableStoreTypes.windowStore());
  }

  @Override
  public List<ReadOnlyKeyValueStore<String, TelemetryAggregate>> keyValueStores(String storeName) {
    return stores(storeName, QueryableStoreTypes.keyValueStore());
  }

  private <T> List<T> stores(String storeName, QueryableStoreType<T> type) {
    KafkaStreams.State state = streams.state();
    if (state != KafkaStreams.State.RUNNING) {
      throw new TelemetryPipelineException(TelemetryErrorCode.STORE_UNAVAILABLE,
          "stream is " + state + ", stores are queryable when it is RUNNING");
    }
    TreeSet<Integer> partitions = new TreeSet<>();
    for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
      for (TaskMetadata task : thread.activeTasks()) {
        partitions.add(task.taskId().partition());
      }
    }
    List<T> result = new ArrayList<>(partitions.size());
    try {
      for (int p : partitions) {
        result.add(streams.store(StoreQueryParameters.fromNameAndType(storeName, type).withPartition(p)));
      }
    } catch (InvalidStateStoreException e) {
      throw new TelemetryPipelineException(TelemetryErrorCode.STORE_UNAVAILABLE,
          "store " + storeName + " is not queryable right now (rebalance or restoration): " + e.getMessage(), e);
    }
    return result;
  }
}
