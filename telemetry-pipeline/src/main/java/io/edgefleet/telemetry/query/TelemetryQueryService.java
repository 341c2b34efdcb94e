package io.edgefleet.telemetry.query;

import io.edgefleet.telemetry.TelemetryErrorCode;
import io.edgefleet.telemetry.TelemetryPipelineException;
import io.edgefleet.telemetry.aggregate.TelemetryAggregate;
import io.edgefleet.telemetry.api.BuildAggregates;
import io.edgefleet.telemetry.api.BuildWindows;
import io.edgefleet.telemetry.api.ClassAggregate;
import io.edgefleet.telemetry.api.DeviceAggregates;
import io.edgefleet.telemetry.api.RolloutAggregates;
import io.edgefleet.telemetry.api.RolloutBuild;
import io.edgefleet.telemetry.api.WindowPoint;
import io.edgefleet.telemetry.topology.TelemetryStores;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Answers the aggregate queries from the state stores, merging partial aggregates of every local partition (and, for
 * build-level answers, of every hardware class) - histograms are unioned, so merged percentiles are exact percentiles
 * of all inferences.
 */
public final class TelemetryQueryService {
  private final AggregateStores stores;
  private final long windowSizeMillis;

  public TelemetryQueryService(AggregateStores stores, Duration windowSize) {
    this.stores = Objects.requireNonNull(stores);
    this.windowSizeMillis = windowSize.toMillis();
  }

  /** Every build with all-time telemetry, sorted by build key. */
  public List<BuildAggregates> builds() {
    Map<String, Map<String, TelemetryAggregate>> byBuild = new TreeMap<>();
    for (ReadOnlyKeyValueStore<String, TelemetryAggregate> store :
        stores.keyValueStores(TelemetryStores.BUILD_CLASS_TOTALS)) {
      try (KeyValueIterator<String, TelemetryAggregate> it = store.all()) {
        while (it.hasNext()) {
          KeyValue<String, TelemetryAggregate> kv = it.next();
          int sep = kv.key.indexOf(TelemetryStores.SEPARATOR);
          mergeInto(byBuild.computeIfAbsent(kv.key.substring(0, sep), b -> new TreeMap<>()),
              kv.key.substring(sep + 1), kv.value);
        }
      }
    }
    List<BuildAggregates> result = new ArrayList<>();
    byBuild.forEach((build, classes) -> result.add(buildAggregates(build, classes)));
    return result;
  }

  /**
   * All-time totals of a build, over all classes and per class.
   *
   * @throws TelemetryPipelineException {@link TelemetryErrorCode#NOT_FOUND} if no telemetry of the build was seen
   */
  public BuildAggregates build(String buildKey) {
    Map<String, TelemetryAggregate> classes = new TreeMap<>();
    for (ReadOnlyKeyValueStore<String, TelemetryAggregate> store :
        stores.keyValueStores(TelemetryStores.BUILD_CLASS_TOTALS)) {
      try (KeyValueIterator<String, TelemetryAggregate> it =
          store.range(TelemetryStores.rangeFrom(buildKey), TelemetryStores.rangeTo(buildKey))) {
        while (it.hasNext()) {
          KeyValue<String, TelemetryAggregate> kv = it.next();
          mergeInto(classes, TelemetryStores.second(kv.key), kv.value);
        }
      }
    }
    if (classes.isEmpty()) {
      throw notFound("no telemetry for build " + buildKey);
    }
    return buildAggregates(buildKey, classes);
  }

  /**
   * Time series of a build: windows starting in [from, to], of one class or merged over all classes.
   *
   * @param hardwareClass null for all classes merged
   */
  public BuildWindows buildWindows(String buildKey, String hardwareClass, Instant from, Instant to) {
    requireRange(from, to);
    TreeMap<Long, TelemetryAggregate> windows = new TreeMap<>();
    for (ReadOnlyWindowStore<String, TelemetryAggregate> store :
        stores.windowStores(TelemetryStores.BUILD_CLASS_WINDOWS)) {
      if (hardwareClass != null) {
        fetchKey(store, TelemetryStores.key(buildKey, hardwareClass), from, to, windows);
      } else {
        try (KeyValueIterator<Windowed<String>, TelemetryAggregate> it =
            store.fetch(TelemetryStores.rangeFrom(buildKey), TelemetryStores.rangeTo(buildKey), from, to)) {
          while (it.hasNext()) {
            KeyValue<Windowed<String>, TelemetryAggregate> kv = it.next();
            mergeInto(windows, kv.key.window().start(), kv.value);
          }
        }
      }
    }
    return new BuildWindows(buildKey, hardwareClass, from, to, windowSizeMillis, points(windows));
  }

  /**
   * Windows of every build of a rollout starting in [from, to], per build and merged.
   *
   * @throws TelemetryPipelineException {@link TelemetryErrorCode#NOT_FOUND} if the rollout has no window in the range
   */
  public RolloutAggregates rollout(String rolloutId, Instant from, Instant to) {
    requireRange(from, to);
    Map<String, TreeMap<Long, TelemetryAggregate>> byBuild = new TreeMap<>();
    for (ReadOnlyWindowStore<String, TelemetryAggregate> store :
        stores.windowStores(TelemetryStores.ROLLOUT_BUILD_WINDOWS)) {
      try (KeyValueIterator<Windowed<String>, TelemetryAggregate> it =
          store.fetch(TelemetryStores.rangeFrom(rolloutId), TelemetryStores.rangeTo(rolloutId), from, to)) {
        while (it.hasNext()) {
          KeyValue<Windowed<String>, TelemetryAggregate> kv = it.next();
          mergeInto(byBuild.computeIfAbsent(TelemetryStores.second(kv.key.key()), b -> new TreeMap<>()),
              kv.key.window().start(), kv.value);
        }
      }
    }
    if (byBuild.isEmpty()) {
      throw notFound("no telemetry for rollout " + rolloutId + " between " + from + " and " + to);
    }
    TelemetryAggregate all = TelemetryAggregate.empty();
    TreeMap<Long, Boolean> allWindows = new TreeMap<>();
    List<RolloutBuild> builds = new ArrayList<>();
    byBuild.forEach((build, windows) -> {
      TelemetryAggregate sum = TelemetryAggregate.empty();
      windows.values().forEach(sum::merge);
      all.merge(sum);
      windows.keySet().forEach(w -> allWindows.put(w, Boolean.TRUE));
      builds.add(new RolloutBuild(build, sum.snapshot(span(windows.firstKey(), windows.lastKey())), points(windows)));
    });
    return new RolloutAggregates(rolloutId, from, to, windowSizeMillis,
        all.snapshot(span(allWindows.firstKey(), allWindows.lastKey())), builds);
  }

  /**
   * Windows of one device starting in [from, to] and their merge.
   *
   * @throws TelemetryPipelineException {@link TelemetryErrorCode#NOT_FOUND} if the device has no window in the range
   */
  public DeviceAggregates device(String deviceId, Instant from, Instant to) {
    requireRange(from, to);
    TreeMap<Long, TelemetryAggregate> windows = new TreeMap<>();
    for (ReadOnlyWindowStore<String, TelemetryAggregate> store : stores.windowStores(TelemetryStores.DEVICE_WINDOWS)) {
      fetchKey(store, deviceId, from, to, windows);
    }
    if (windows.isEmpty()) {
      throw notFound("no telemetry for device " + deviceId + " between " + from + " and " + to);
    }
    TelemetryAggregate sum = TelemetryAggregate.empty();
    windows.values().forEach(sum::merge);
    return new DeviceAggregates(deviceId, from, to, windowSizeMillis,
        sum.snapshot(span(windows.firstKey(), windows.lastKey())), points(windows));
  }

  /** Window size of the windowed stores, ms. */
  public long windowSizeMillis() {
    return windowSizeMillis;
  }

  private static void fetchKey(ReadOnlyWindowStore<String, TelemetryAggregate> store, String key, Instant from,
      Instant to, Map<Long, TelemetryAggregate> into) {
    try (WindowStoreIterator<TelemetryAggregate> it = store.fetch(key, from, to)) {
      while (it.hasNext()) {
        KeyValue<Long, TelemetryAggregate> kv = it.next();
        mergeInto(into, kv.key, kv.value);
      }
    }
  }

  private BuildAggregates buildAggregates(String buildKey, Map<String, TelemetryAggregate> classes) {
    TelemetryAggregate total = TelemetryAggregate.empty();
    List<ClassAggregate> perClass = new ArrayList<>();
    classes.forEach((hc, agg) -> {
      total.merge(agg);
      perClass.add(new ClassAggregate(hc, agg.snapshot(0)));
    });
    return new BuildAggregates(buildKey, total.snapshot(0), perClass);
  }

  private List<WindowPoint> points(TreeMap<Long, TelemetryAggregate> windows) {
    List<WindowPoint> points = new ArrayList<>(windows.size());
    windows.forEach((start, agg) -> points.add(new WindowPoint(Instant.ofEpochMilli(start),
        Instant.ofEpochMilli(start + windowSizeMillis), agg.snapshot(windowSizeMillis))));
    return points;
  }

  private long span(long firstWindowStart, long lastWindowStart) {
    return lastWindowStart + windowSizeMillis - firstWindowStart;
  }

  private static <K> void mergeInto(Map<K, TelemetryAggregate> into, K key, TelemetryAggregate value) {
    TelemetryAggregate current = into.get(key);
    if (current == null) {
      into.put(key, value.copy());
    } else {
      current.merge(value);
    }
  }

  private static void requireRange(Instant from, Instant to) {
    if (from == null || to == null || from.isAfter(to)) {
      throw new TelemetryPipelineException(TelemetryErrorCode.BAD_REQUEST,
          "the time range must have from <= to, got from=" + from + " to=" + to);
    }
  }

  private static TelemetryPipelineException notFound(String message) {
    return new TelemetryPipelineException(TelemetryErrorCode.NOT_FOUND, message);
  }
}
