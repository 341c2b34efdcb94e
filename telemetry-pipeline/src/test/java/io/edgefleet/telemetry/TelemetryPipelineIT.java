package io.edgefleet.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgefleet.localstack.LocalStack;
import io.edgefleet.localstack.LocalStackConfig;
import io.edgefleet.schemas.Topics;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.schemas.events.InferenceTelemetry;
import io.edgefleet.telemetry.api.AggregateSnapshot;
import io.edgefleet.telemetry.api.BuildAggregates;
import io.edgefleet.telemetry.api.BuildWindows;
import io.edgefleet.telemetry.api.DeviceAggregates;
import io.edgefleet.telemetry.api.RolloutAggregates;
import io.edgefleet.telemetry.client.TelemetryAggregatesClient;
import io.edgefleet.telemetry.config.TelemetryPipelineConfig;
import io.edgefleet.telemetry.testing.Telemetry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The pipeline in-process against the real Kafka broker of the local stack, queried over its HTTP API. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TelemetryPipelineIT {
  private static final EventCodec CODEC = new EventCodec();
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String BUILD = "e".repeat(64);

  private LocalStack stack;
  private TelemetryPipeline pipeline;
  private TelemetryAggregatesClient client;
  private KafkaProducer<String, byte[]> producer;

  @BeforeAll
  void start() {
    stack = LocalStack.start(LocalStackConfig.builder().build());
    Map<String, String> props = new HashMap<>();
    props.put("telemetry.kafka.bootstrap-servers", stack.kafkaBootstrapServers());
    props.put("telemetry.application-id", "telemetry-it-" + UUID.randomUUID());
    props.put("telemetry.state-dir", stack.dataDir().resolve("telemetry-state").toString());
    props.put("telemetry.http.host", "127.0.0.1");
    props.put("telemetry.http.port", "0");
    props.put("telemetry.http.advertised-host", "127.0.0.1");
    props.put("telemetry.window.size", "1m");
    props.put("telemetry.window.grace", "10m");
    pipeline = TelemetryPipeline.start(TelemetryPipelineConfig.from(TelemetryPipelineConfig.source(props, Map.of())));
    client = new TelemetryAggregatesClient(pipeline.loopbackUri(), Duration.ofSeconds(10));

    Properties pp = new Properties();
    pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
    pp.put(ProducerConfig.ACKS_CONFIG, "all");
    pp.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    producer = new KafkaProducer<>(pp);
  }

  @AfterAll
  void stop() {
    if (producer != null) {
      producer.close();
    }
    if (pipeline != null) {
      pipeline.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void shouldServeAggregatesOfProducedTelemetryOverHttp() throws Exception {
    await().atMost(WAIT).until(client::isHealthy);
    Instant windowStart = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    Instant end = windowStart.plusSeconds(20);
    Random random = new Random(7);
    Histogram all = Telemetry.histogram();
    Histogram classA = Telemetry.histogram();
    List<InferenceTelemetry> sent = new ArrayList<>();
    long inferences = 0;
    for (int d = 0; d < 6; d++) {
      for (int seq = 1; seq <= 3; seq++) {
        long[] values = new long[40];
        for (int i = 0; i < values.length; i++) {
          values[i] = 1000 + (long) (random.nextGaussian() * 100 + d * 700);
          all.recordValue(values[i]);
          if (d % 2 == 0) {
            classA.recordValue(values[i]);
          }
        }
        inferences += values.length;
        InferenceTelemetry t = Telemetry.batch("it-dev-" + d, seq, BUILD, "it-rollout", d % 2 == 0 ? "hc-a" : "hc-b",
            end, values, 40, 30, 40, 36, 2);
        sent.add(t);
        producer.send(new ProducerRecord<>(Topics.TELEMETRY, t.deviceId(), CODEC.encode(t, "/it")));
      }
    }
    // a replay and a poison record in the middle of the stream
    InferenceTelemetry replay = sent.get(3);
    producer.send(new ProducerRecord<>(Topics.TELEMETRY, replay.deviceId(), CODEC.encode(replay, "/it")));
    producer.send(new ProducerRecord<>(Topics.TELEMETRY, "it-dev-0", "garbage".getBytes(StandardCharsets.UTF_8)));
    producer.flush();
    long expectedInferences = inferences;

    await().atMost(WAIT).untilAsserted(() -> {
      BuildAggregates build = client.build(BUILD).orElseThrow(() -> new AssertionError("no aggregates yet"));
      assertThat(build.totals().batches()).isEqualTo(18);
    });
    BuildAggregates build = client.build(BUILD).orElseThrow();
    AggregateSnapshot totals = build.totals();
    assertThat(totals.inferences()).isEqualTo(expectedInferences);
    assertThat(totals.devices()).isEqualTo(6);
    assertThat(totals.p50Micros()).isEqualTo((double) all.getValueAtPercentile(50));
    assertThat(totals.p95Micros()).isEqualTo((double) all.getValueAtPercentile(95));
    assertThat(totals.p99Micros()).isEqualTo((double) all.getValueAtPercentile(99));
    assertThat(totals.top1Accuracy()).isEqualTo(0.75);
    assertThat(totals.agreementWithFloat()).isEqualTo(0.9);
    assertThat(totals.errors()).isEqualTo(36);
    assertThat(build.byHardwareClass()).extracting(c -> c.hardwareClass()).containsExactly("hc-a", "hc-b");
    assertThat(build.byHardwareClass().get(0).totals().p99Micros()).isEqualTo((double) classA.getValueAtPercentile(99));

    Instant from = windowStart.minusSeconds(120);
    Instant to = windowStart.plusSeconds(120);
    BuildWindows windows = client.buildWindows(BUILD, null, from, to);
    assertThat(windows.windows()).hasSize(1);
    assertThat(windows.windows().get(0).windowStart()).isEqualTo(windowStart);
    assertThat(windows.windows().get(0).aggregate().p99Micros()).isEqualTo((double) all.getValueAtPercentile(99));
    assertThat(windows.windows().get(0).aggregate().throughputPerSecond()).isEqualTo(expectedInferences / 60.0);
    assertThat(client.buildWindows(BUILD, "hc-b", from, to).windows().get(0).aggregate().devices()).isEqualTo(3);

    RolloutAggregates rollout = client.rollout("it-rollout", from, to).orElseThrow();
    assertThat(rollout.total().batches()).isEqualTo(18);
    assertThat(rollout.builds()).extracting(b -> b.buildKey()).containsExactly(BUILD);
    DeviceAggregates device = client.device("it-dev-1", from, to).orElseThrow();
    assertThat(device.total().batches()).isEqualTo(3);
    assertThat(device.total().inferences()).isEqualTo(120);
    assertThat(client.device("no-such-device", from, to)).isEmpty();
    assertThat(client.build("f".repeat(64))).isEmpty();

    assertThat(pipeline.metrics().replaysDropped()).isEqualTo(1);
    ConsumerRecord<String, byte[]> dead = readOneDeadLetter();
    assertThat(dead.key()).isEqualTo("it-dev-0");
    assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("garbage");
    assertThat(new String(dead.headers().lastHeader(Topics.DLQ_REASON_HEADER).value(), StandardCharsets.UTF_8))
        .startsWith("event.malformed-json");

    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(pipeline.loopbackUri() + "/metrics"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.body()).contains("telemetry_records_processed_total 18")
        .contains("telemetry_replays_dropped_total 1")
        .contains("telemetry_dlq_records_total{reason=\"event.malformed-json\"} 1")
        .contains("telemetry_freshness_seconds{quantile=\"0.99\"}");
    HttpResponse<String> problem = http.send(HttpRequest.newBuilder(
        URI.create(pipeline.loopbackUri() + "/aggregates/builds/" + BUILD + "/windows?from=yesterday")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(problem.statusCode()).isEqualTo(400);
    assertThat(problem.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(problem.body()).contains("\"code\":\"telemetry.bad-request\"");
  }

  private ConsumerRecord<String, byte[]> readOneDeadLetter() {
    Properties cp = new Properties();
    cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
    cp.put(ConsumerConfig.GROUP_ID_CONFIG, "it-dlq-" + UUID.randomUUID());
    cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    cp.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    cp.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(cp)) {
      consumer.subscribe(List.of(Topics.deadLetter(Topics.TELEMETRY)));
      List<ConsumerRecord<String, byte[]>> got = new ArrayList<>();
      await().atMost(WAIT).until(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(got::add);
        return !got.isEmpty();
      });
      return got.get(0);
    }
  }
}
