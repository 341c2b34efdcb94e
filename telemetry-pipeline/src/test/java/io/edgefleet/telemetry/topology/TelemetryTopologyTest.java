package io.edgefleet.telemetry.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefleet.schemas.Topics;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.schemas.events.DeviceFeedback;
import io.edgefleet.schemas.events.FeedbackStatus;
import io.edgefleet.schemas.events.InferenceTelemetry;
import io.edgefleet.schemas.events.LatencyStats;
import io.edgefleet.telemetry.aggregate.TelemetryAggregate;
import io.edgefleet.telemetry.config.TelemetryPipelineConfig;
import io.edgefleet.telemetry.metrics.PipelineMetrics;
import io.edgefleet.telemetry.testing.Telemetry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TelemetryTopologyTest {
  private static final EventCodec CODEC = new EventCodec();
  private static final String BUILD = "b".repeat(64);
  private static final String CLASS_A = "hc-aaaa";
  private static final String CLASS_B = "hc-bbbb";
  /** 12:00:00 UTC: a window boundary for one-minute windows. */
  private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");

  @TempDir Path stateDir;

  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> input;
  private TestOutputTopic<String, byte[]> dlq;
  private PipelineMetrics metrics;
  private TelemetryPipelineConfig config;

  @BeforeEach
  void startDriver() {
    config = TelemetryPipelineConfig.from(TelemetryPipelineConfig.source(Map.of(
        "telemetry.kafka.bootstrap-servers", "127.0.0.1:9092",
        "telemetry.window.size", "1m",
        "telemetry.window.grace", "30s",
        "telemetry.state-dir", stateDir.toString()), Map.of()));
    metrics = new PipelineMetrics();
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "telemetry-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(
        TelemetryTopology.build(config, metrics, Clock.fixed(T0.plusSeconds(3600), ZoneOffset.UTC)), props);
    input = driver.createInputTopic(Topics.TELEMETRY, new StringSerializer(), new ByteArraySerializer());
    dlq = driver.createOutputTopic(Topics.deadLetter(Topics.TELEMETRY), new StringDeserializer(),
        new ByteArrayDeserializer());
  }

  @AfterEach
  void closeDriver() {
    driver.close();
  }

  @Test
  void shouldComputePercentilesOfTheUnionOfAllBatches() {
    Random random = new Random(42);
    Histogram all = Telemetry.histogram();
    for (int device = 0; device < 5; device++) {
      for (int seq = 0; seq < 4; seq++) {
        // devices differ a lot: averaging per-batch percentiles would be far off
        long[] values = new long[50 + random.nextInt(100)];
        for (int i = 0; i < values.length; i++) {
          values[i] = 500 + (long) (random.nextDouble() * 1000 * (device + 1) * (device + 1));
          all.recordValue(values[i]);
        }
        send(Telemetry.batch("dev-" + device, seq, BUILD, "r1", device % 2 == 0 ? CLASS_A : CLASS_B,
            T0.plusSeconds(5 + seq * 10L), values, values.length, values.length / 2, 10, 9, 1));
      }
    }

    TelemetryAggregate merged = totals(CLASS_A).copy().merge(totals(CLASS_B));
    assertThat(merged.histogram().getTotalCount()).isEqualTo(all.getTotalCount());
    for (double p : new double[] {50, 95, 99, 99.9}) {
      assertThat(merged.histogram().getValueAtPercentile(p)).as("p%s", p).isEqualTo(all.getValueAtPercentile(p));
    }
    assertThat(merged.batches()).isEqualTo(20);
    assertThat(merged.devices().count()).isEqualTo(5);
    assertThat(totals(CLASS_A).devices().count()).isEqualTo(3);
    assertThat(merged.reference()).isEqualTo(200);
    assertThat(merged.agreement()).isEqualTo(180);
    assertThat(merged.errors()).isEqualTo(20);
    TelemetryAggregate window = buildWindow(CLASS_A, T0);
    assertThat(window.batches()).isEqualTo(12);
    assertThat(metrics.accepted()).isEqualTo(20);
    assertThat(dlq.isEmpty()).isTrue();
  }

  @Test
  void shouldDropReplaysOfTheSameDeviceAndSequence() {
    InferenceTelemetry batch = Telemetry.batch("dev-1", 7, BUILD, null, CLASS_A, T0.plusSeconds(5),
        new long[] {100, 200, 300}, 3, 2, 3, 3, 0);
    send(batch);
    send(batch);
    send(Telemetry.batch("dev-1", 8, BUILD, null, CLASS_A, T0.plusSeconds(15), new long[] {400}, 1, 1, 0, 0, 0));
    send(batch);
    // the same sequence from another device is not a replay
    send(Telemetry.batch("dev-2", 7, BUILD, null, CLASS_A, T0.plusSeconds(16), new long[] {500}, 1, 1, 0, 0, 0));

    TelemetryAggregate total = totals(CLASS_A);
    assertThat(total.batches()).isEqualTo(3);
    assertThat(total.inferences()).isEqualTo(5);
    assertThat(total.correct()).isEqualTo(4);
    assertThat(metrics.replaysDropped()).isEqualTo(2);
    assertThat(metrics.accepted()).isEqualTo(3);
    assertThat(dlq.isEmpty()).isTrue();
  }

  @Test
  void shouldAcceptOutOfOrderSequencesOnceEach() {
    for (long seq : new long[] {10, 12, 11, 12, 10, 9}) {
      send(Telemetry.batch("dev-1", seq, BUILD, null, CLASS_A, T0.plusSeconds(seq), new long[] {100}, 0, 0, 0, 0, 0));
    }
    assertThat(totals(CLASS_A).batches()).isEqualTo(4);
    assertThat(metrics.replaysDropped()).isEqualTo(2);
  }

  @Test
  void shouldDeadLetterMalformedRecordsAndKeepProcessing() {
    input.pipeInput(new TestRecord<>("dev-1", "{not json".getBytes(StandardCharsets.UTF_8), T0.plusSeconds(1)));
    input.pipeInput(new TestRecord<>("dev-1", new byte[0], T0.plusSeconds(1)));
    byte[] feedback = CODEC.encode(new DeviceFeedback("dev-1", "r1", BUILD, FeedbackStatus.INSTALLED, null, T0), "/test");
    input.pipeInput(new TestRecord<>("dev-1", feedback, T0.plusSeconds(1)));
    send(Telemetry.batch("dev-1", 1, BUILD, null, CLASS_A, T0.plusSeconds(5), new long[] {100}, 1, 1, 0, 0, 0));

    var records = dlq.readRecordsToList();
    assertThat(records).hasSize(3);
    assertThat(reason(records.get(0))).startsWith("event.malformed-json");
    assertThat(reason(records.get(1))).startsWith("event.empty");
    assertThat(reason(records.get(2))).startsWith("event.unexpected-type");
    assertThat(records.get(0).value()).isEqualTo("{not json".getBytes(StandardCharsets.UTF_8));
    assertThat(records.get(0).key()).isEqualTo("dev-1");
    assertThat(header(records.get(0), Topics.DLQ_SOURCE_TOPIC_HEADER)).isEqualTo(Topics.TELEMETRY);
    assertThat(header(records.get(1), Topics.DLQ_SOURCE_OFFSET_HEADER)).isEqualTo("1");
    assertThat(header(records.get(0), Topics.DLQ_SOURCE_PARTITION_HEADER)).isEqualTo("0");
    assertThat(totals(CLASS_A).batches()).isEqualTo(1);
    assertThat(metrics.deadLettered()).containsEntry("event.malformed-json", 1L).containsEntry("event.empty", 1L);
  }

  @Test
  void shouldDeadLetterInconsistentRecordsWithTheirReason() {
    Instant end = T0.plusSeconds(5);
    InferenceTelemetry good = Telemetry.batch("dev-1", 1, BUILD, null, CLASS_A, end, new long[] {100, 200}, 2, 1, 2, 1, 0);
    // key is another device
    input.pipeInput(new TestRecord<>("dev-9", CODEC.encode(good, "/test"), end));
    // more correct than labelled
    send(Telemetry.batch("dev-1", 2, BUILD, null, CLASS_A, end, new long[] {100}, 1, 2, 0, 0, 0));
    // more agreement than reference
    send(Telemetry.batch("dev-1", 3, BUILD, null, CLASS_A, end, new long[] {100}, 0, 0, 1, 2, 0));
    // histogram that does not hold latency.count values
    LatencyStats l = good.latency();
    send(withLatency(good, 4, new LatencyStats(5, l.p50Micros(), l.p95Micros(), l.p99Micros(), l.maxMicros(),
        l.meanMicros(), l.histogram())));
    // histogram that is not an HdrHistogram
    send(withLatency(good, 5, new LatencyStats(2, 1, 1, 1, 1, 1, "bm90IGEgaGlzdG9ncmFt")));
    // window end far ahead of the record timestamp (device clock skew)
    InferenceTelemetry future = Telemetry.batch("dev-1", 6, BUILD, null, CLASS_A, end.plusSeconds(3600),
        new long[] {100}, 0, 0, 0, 0, 0);
    input.pipeInput(new TestRecord<>("dev-1", CODEC.encode(future, "/test"), end));
    // control character in an id
    send(Telemetry.batch("dev-1", 7, BUILD, null, "hc\u001Fx", end, new long[] {100}, 0, 0, 0, 0, 0));
    send(good);

    assertThat(dlq.readRecordsToList()).extracting(TelemetryTopologyTest::reason)
        .satisfiesExactly(
            r -> assertThat(r).startsWith("telemetry.key-mismatch: "),
            r -> assertThat(r).startsWith("telemetry.inconsistent-counts: ").contains("correctCount 2 > labelledCount 1"),
            r -> assertThat(r).startsWith("telemetry.inconsistent-counts: ").contains("agreementCount"),
            r -> assertThat(r).startsWith("telemetry.histogram-count-mismatch: "),
            r -> assertThat(r).startsWith("telemetry.invalid-histogram: "),
            r -> assertThat(r).startsWith("telemetry.clock-skew: "),
            r -> assertThat(r).startsWith("telemetry.invalid-id: "));
    TelemetryAggregate total = totals(CLASS_A);
    assertThat(total.batches()).isEqualTo(1);
    assertThat(total.inferences()).isEqualTo(2);
    assertThat(metrics.deadLetteredTotal()).isEqualTo(7);
  }

  @Test
  void shouldAssignBatchesToTumblingWindowsAndHonourGrace() {
    // window [12:00, 12:01)
    send(Telemetry.batch("dev-1", 1, BUILD, "r1", CLASS_A, T0.plusSeconds(59), new long[] {100}, 0, 0, 0, 0, 0));
    // exactly on the boundary: window [12:01, 12:02)
    send(Telemetry.batch("dev-1", 2, BUILD, "r1", CLASS_A, T0.plusSeconds(60), new long[] {200}, 0, 0, 0, 0, 0));
    // stream time 12:01:29: [12:00, 12:01) + 30 s grace still open
    send(Telemetry.batch("dev-2", 1, BUILD, "r1", CLASS_A, T0.plusSeconds(89), new long[] {300}, 0, 0, 0, 0, 0));
    send(Telemetry.batch("dev-3", 1, BUILD, "r1", CLASS_A, T0.plusSeconds(30), new long[] {400}, 0, 0, 0, 0, 0));
    // stream time 12:01:30: the first window is closed now
    send(Telemetry.batch("dev-2", 2, BUILD, "r1", CLASS_A, T0.plusSeconds(90), new long[] {500}, 0, 0, 0, 0, 0));
    send(Telemetry.batch("dev-3", 2, BUILD, "r1", CLASS_A, T0.plusSeconds(31), new long[] {600}, 0, 0, 0, 0, 0));

    assertThat(buildWindow(CLASS_A, T0).batches()).isEqualTo(2);
    assertThat(buildWindow(CLASS_A, T0).histogram().getMaxValue()).isBetween(399L, 401L);
    assertThat(buildWindow(CLASS_A, T0.plusSeconds(60)).batches()).isEqualTo(3);
    assertThat(metrics.lateWindowUpdates()).isEqualTo(1);
    // the late batch still counts in the all-time totals
    assertThat(totals(CLASS_A).batches()).isEqualTo(6);
    WindowStore<String, TelemetryAggregate> rollout = driver.getWindowStore(TelemetryStores.ROLLOUT_BUILD_WINDOWS);
    assertThat(rollout.fetch(TelemetryStores.key("r1", BUILD), T0.toEpochMilli()).batches()).isEqualTo(2);
    assertThat(rollout.fetch(TelemetryStores.key("r1", BUILD), T0.plusSeconds(60).toEpochMilli()).batches())
        .isEqualTo(3);
  }

  @Test
  void shouldAggregatePerRolloutAndPerDevice() {
    send(Telemetry.batch("dev-1", 1, BUILD, "r1", CLASS_A, T0.plusSeconds(5), new long[] {100, 100}, 2, 2, 0, 0, 0));
    send(Telemetry.batch("dev-2", 1, BUILD, "r2", CLASS_B, T0.plusSeconds(6), new long[] {300}, 1, 0, 0, 0, 1));
    send(Telemetry.batch("dev-1", 2, "c".repeat(64), "r1", CLASS_A, T0.plusSeconds(7), new long[] {50}, 0, 0, 0, 0, 0));
    send(Telemetry.batch("dev-3", 1, BUILD, null, CLASS_A, T0.plusSeconds(8), new long[] {70}, 0, 0, 0, 0, 0));

    WindowStore<String, TelemetryAggregate> rollouts = driver.getWindowStore(TelemetryStores.ROLLOUT_BUILD_WINDOWS);
    long w = T0.toEpochMilli();
    assertThat(rollouts.fetch(TelemetryStores.key("r1", BUILD), w).inferences()).isEqualTo(2);
    assertThat(rollouts.fetch(TelemetryStores.key("r1", "c".repeat(64)), w).inferences()).isEqualTo(1);
    assertThat(rollouts.fetch(TelemetryStores.key("r2", BUILD), w).errors()).isEqualTo(1);
    WindowStore<String, TelemetryAggregate> devices = driver.getWindowStore(TelemetryStores.DEVICE_WINDOWS);
    assertThat(devices.fetch("dev-1", w).batches()).isEqualTo(2);
    assertThat(devices.fetch("dev-1", w).inferences()).isEqualTo(3);
    assertThat(devices.fetch("dev-3", w).devices().count()).isEqualTo(1);
    assertThat(totals(CLASS_B).correct()).isZero();
    assertThat(totals(CLASS_B).labelled()).isEqualTo(1);
  }

  private void send(InferenceTelemetry t) {
    input.pipeInput(new TestRecord<>(t.deviceId(), CODEC.encode(t, "/test"), t.windowEnd().plusMillis(100)));
  }

  private TelemetryAggregate totals(String hardwareClass) {
    KeyValueStore<String, TelemetryAggregate> store = driver.getKeyValueStore(TelemetryStores.BUILD_CLASS_TOTALS);
    TelemetryAggregate a = store.get(TelemetryStores.key(BUILD, hardwareClass));
    assertThat(a).as("totals of %s", hardwareClass).isNotNull();
    return a;
  }

  private TelemetryAggregate buildWindow(String hardwareClass, Instant windowStart) {
    WindowStore<String, TelemetryAggregate> store = driver.getWindowStore(TelemetryStores.BUILD_CLASS_WINDOWS);
    TelemetryAggregate a = store.fetch(TelemetryStores.key(BUILD, hardwareClass), windowStart.toEpochMilli());
    assertThat(a).as("window %s of %s", windowStart, hardwareClass).isNotNull();
    return a;
  }

  private static InferenceTelemetry withLatency(InferenceTelemetry t, long sequence, LatencyStats l) {
    return new InferenceTelemetry(t.deviceId(), sequence, t.buildKey(), t.rolloutId(), t.hardwareClass(),
        t.windowStart(), t.windowEnd(), l, t.labelledCount(), t.correctCount(), t.referenceCount(),
        t.agreementCount(), t.errorCount(), t.threads(), null);
  }

  private static String reason(TestRecord<String, byte[]> r) {
    return header(r, Topics.DLQ_REASON_HEADER);
  }

  private static String header(TestRecord<String, byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
