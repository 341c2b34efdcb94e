package io.edgefleet.telemetry.topology;

import io.edgefleet.schemas.Topics;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.schemas.codec.EventDecodingException;
import io.edgefleet.schemas.events.InferenceTelemetry;
import io.edgefleet.telemetry.TelemetryPipelineException;
import io.edgefleet.telemetry.aggregate.DedupState;
import io.edgefleet.telemetry.aggregate.TelemetryAggregate;
import io.edgefleet.telemetry.aggregate.TelemetryObservation;
import io.edgefleet.telemetry.metrics.PipelineMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Decodes, validates and deduplicates telemetry records and folds accepted batches into every aggregate store. Records
 * that cannot be decoded or are inconsistent are forwarded, untouched and with the DLQ headers, to the dead-letter sink:
 * the stream never stops on a bad record, and a bad record touches no store.
 *
 * <p>Event time of a batch is its {@code windowEnd}; it belongs to the tumbling window containing that instant. A batch
 * whose window closed (window end + grace ≤ highest event time seen by this task) still counts in the all-time totals
 * but not in windows.
 */
final class TelemetryIngestProcessor implements Processor<byte[], byte[], byte[], byte[]> {
  /** Header holding the original value size when the value was too large to copy to the DLQ. */
  static final String DLQ_VALUE_DROPPED_HEADER = "dlq-value-dropped-bytes";
  /** Entries of the deserialized-aggregate cache (each holds a histogram of some tens of KiB). */
  static final int HOT_ENTRIES = 256;

  private final EventCodec codec;
  private final TelemetryValidator validator;
  private final PipelineMetrics metrics;
  private final Clock clock;
  private final long windowSizeMillis;
  private final long graceMillis;
  private final Duration dedupRetention;
  private final String deadLetterSink;

  private ProcessorContext<byte[], byte[]> context;
  private KeyValueStore<String, DedupState> dedup;
  private WindowStore<String, TelemetryAggregate> buildClassWindows;
  private WindowStore<String, TelemetryAggregate> rolloutBuildWindows;
  private WindowStore<String, TelemetryAggregate> deviceWindows;
  private KeyValueStore<String, TelemetryAggregate> buildClassTotals;
  private long observedEventTime = Long.MIN_VALUE;
  /**
   * Deserialized copies of the hottest aggregates (build × class and rollout × build windows, totals), always equal to
   * what this processor last wrote: it is the only writer of its task's stores, and the cache is dropped on every
   * {@link #init}. Saves decoding the histogram on each update; device windows (one key per device) are not cached.
   */
  private final Map<String, TelemetryAggregate> hot = new LinkedHashMap<>(HOT_ENTRIES * 2, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, TelemetryAggregate> eldest) {
      return size() > HOT_ENTRIES;
    }
  };

  TelemetryIngestProcessor(EventCodec codec, TelemetryValidator validator, PipelineMetrics metrics, Clock clock,
      Duration windowSize, Duration grace, Duration dedupRetention, String deadLetterSink) {
    this.codec = codec;
    this.validator = validator;
    this.metrics = metrics;
    this.clock = clock;
    this.windowSizeMillis = windowSize.toMillis();
    this.graceMillis = grace.toMillis();
    this.dedupRetention = dedupRetention;
    this.deadLetterSink = deadLetterSink;
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
    hot.clear();
    dedup = context.getStateStore(TelemetryStores.DEDUP);
    buildClassWindows = context.getStateStore(TelemetryStores.BUILD_CLASS_WINDOWS);
    rolloutBuildWindows = context.getStateStore(TelemetryStores.ROLLOUT_BUILD_WINDOWS);
    deviceWindows = context.getStateStore(TelemetryStores.DEVICE_WINDOWS);
    buildClassTotals = context.getStateStore(TelemetryStores.BUILD_CLASS_TOTALS);
    Duration purgeEvery = dedupRetention.dividedBy(10).compareTo(Duration.ofHours(1)) < 0
        ? dedupRetention.dividedBy(10) : Duration.ofHours(1);
    context.schedule(purgeEvery, PunctuationType.WALL_CLOCK_TIME, this::purgeSilentDevices);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    metrics.recordReceived();
    InferenceTelemetry telemetry;
    try {
      telemetry = codec.decode(record.value(), InferenceTelemetry.class).event();
    } catch (EventDecodingException e) {
      deadLetter(record, e.failure().key(), e.getMessage());
      return;
    }
    String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    TelemetryObservation observation;
    try {
      observation = validator.validate(key, telemetry, record.timestamp());
    } catch (TelemetryPipelineException e) {
      deadLetter(record, e.code().key(), e.reason());
      return;
    }
    DedupState.Offer offer =
        DedupState.offer(dedup.get(observation.deviceId()), observation.sequence(), clock.millis());
    if (offer.verdict() == DedupState.Verdict.REPLAY) {
      metrics.recordReplay();
      return;
    }
    if (offer.verdict() == DedupState.Verdict.RESET) {
      metrics.recordSequenceReset();
    }
    dedup.put(observation.deviceId(), offer.next());
    apply(observation);
    metrics.recordAccepted(clock.millis() - record.timestamp());
  }

  private void apply(TelemetryObservation o) {
    long eventTime = o.windowEndMillis();
    observedEventTime = Math.max(observedEventTime, eventTime);
    long windowStart = eventTime - Math.floorMod(eventTime, windowSizeMillis);
    if (windowStart + windowSizeMillis + graceMillis <= observedEventTime) {
      metrics.recordLateWindowUpdate();
    } else {
      addToWindow(buildClassWindows, "w", TelemetryStores.key(o.buildKey(), o.hardwareClass()), windowStart, o, true);
      if (o.rolloutId() != null) {
        addToWindow(rolloutBuildWindows, "r", TelemetryStores.key(o.rolloutId(), o.buildKey()), windowStart, o, true);
      }
      addToWindow(deviceWindows, "d", o.deviceId(), windowStart, o, false);
    }
    String totalsKey = TelemetryStores.key(o.buildKey(), o.hardwareClass());
    String cacheKey = "t" + TelemetryStores.SEPARATOR + totalsKey;
    TelemetryAggregate total = hot.get(cacheKey);
    if (total == null) {
      total = buildClassTotals.get(totalsKey);
      total = total == null ? TelemetryAggregate.empty() : total;
      hot.put(cacheKey, total);
    }
    buildClassTotals.put(totalsKey, total.add(o));
  }

  private void addToWindow(WindowStore<String, TelemetryAggregate> store, String storeTag, String key,
      long windowStart, TelemetryObservation o, boolean cache) {
    String cacheKey = cache ? storeTag + TelemetryStores.SEPARATOR + windowStart + TelemetryStores.SEPARATOR + key : null;
    TelemetryAggregate current = cache ? hot.get(cacheKey) : null;
    if (current == null) {
      current = store.fetch(key, windowStart);
      current = current == null ? TelemetryAggregate.empty() : current;
      if (cache) {
        hot.put(cacheKey, current);
      }
    }
    store.put(key, current.add(o), windowStart);
  }

  private void deadLetter(Record<byte[], byte[]> record, String reasonKey, String reason) {
    Headers headers = new RecordHeaders(record.headers().toArray());
    headers.add(Topics.DLQ_REASON_HEADER, utf8(reason));
    RecordMetadata source = context.recordMetadata().orElse(null);
    if (source != null) {
      headers.add(Topics.DLQ_SOURCE_TOPIC_HEADER, utf8(source.topic()));
      headers.add(Topics.DLQ_SOURCE_PARTITION_HEADER, utf8(Integer.toString(source.partition())));
      headers.add(Topics.DLQ_SOURCE_OFFSET_HEADER, utf8(Long.toString(source.offset())));
    }
    byte[] value = record.value();
    if (value != null && value.length > EventCodec.MAX_EVENT_BYTES) {
      headers.add(DLQ_VALUE_DROPPED_HEADER, utf8(Integer.toString(value.length)));
      value = null;
    }
    context.forward(new Record<>(record.key(), value, record.timestamp(), headers), deadLetterSink);
    metrics.recordDeadLetter(reasonKey);
  }

  private void purgeSilentDevices(long now) {
    long cutoff = now - dedupRetention.toMillis();
    List<String> silent = new ArrayList<>();
    try (KeyValueIterator<String, DedupState> it = dedup.all()) {
      while (it.hasNext()) {
        KeyValue<String, DedupState> kv = it.next();
        if (kv.value.lastSeenMillis() < cutoff) {
          silent.add(kv.key);
        }
      }
    }
    silent.forEach(dedup::delete);
    metrics.recordDedupPurged(silent.size());
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
