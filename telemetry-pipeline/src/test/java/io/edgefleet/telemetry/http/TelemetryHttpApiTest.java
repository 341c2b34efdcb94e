package io.edgefleet.telemetry.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefleet.schemas.Topics;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.schemas.events.InferenceTelemetry;
import io.edgefleet.telemetry.TelemetryErrorCode;
import io.edgefleet.telemetry.TelemetryPipelineException;
import io.edgefleet.telemetry.aggregate.TelemetryAggregate;
import io.edgefleet.telemetry.api.BuildAggregates;
import io.edgefleet.telemetry.api.BuildWindows;
import io.edgefleet.telemetry.api.RolloutAggregates;
import io.edgefleet.telemetry.client.TelemetryAggregatesClient;
import io.edgefleet.telemetry.config.TelemetryPipelineConfig;
import io.edgefleet.telemetry.metrics.PipelineMetrics;
import io.edgefleet.telemetry.query.AggregateStores;
import io.edgefleet.telemetry.query.TelemetryQueryService;
import io.edgefleet.telemetry.testing.Telemetry;
import io.edgefleet.telemetry.topology.TelemetryTopology;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Query service and HTTP API over two topology instances standing for two partitions: answers must merge the partial
 * aggregates of both.
 */
class TelemetryHttpApiTest {
  private static final EventCodec CODEC = new EventCodec();
  private static final String BUILD = "d".repeat(64);
  private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");

  @TempDir Path stateDir;

  private final List<TopologyTestDriver> partitions = new ArrayList<>();
  private final List<TestInputTopic<String, byte[]>> inputs = new ArrayList<>();
  private final AtomicReference<String> state = new AtomicReference<>("RUNNING");
  private final PipelineMetrics metrics = new PipelineMetrics();
  private TelemetryQueryService queries;
  private TelemetryHttpServer server;
  private TelemetryAggregatesClient client;

  @BeforeEach
  void start() {
    TelemetryPipelineConfig config = TelemetryPipelineConfig.from(TelemetryPipelineConfig.source(Map.of(
        "telemetry.kafka.bootstrap-servers", "127.0.0.1:9092", "telemetry.window.grace", "10m"), Map.of()));
    for (int p = 0; p < 2; p++) {
      Properties props = new Properties();
      props.put(StreamsConfig.APPLICATION_ID_CONFIG, "http-test-" + p);
      props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
      props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve("p" + p).toString());
      TopologyTestDriver driver = new TopologyTestDriver(
          TelemetryTopology.build(config, metrics, Clock.fixed(T0.plusSeconds(600), ZoneOffset.UTC)), props);
      partitions.add(driver);
      inputs.add(driver.createInputTopic(Topics.TELEMETRY, new StringSerializer(), new ByteArraySerializer()));
    }
    queries = new TelemetryQueryService(new DriverStores(), config.windowSize());
    server = TelemetryHttpServer.bind("127.0.0.1", 0, () -> queries, metrics, state::get,
        Clock.fixed(T0.plusSeconds(600), ZoneOffset.UTC)).start();
    client = new TelemetryAggregatesClient(URI.create("http://127.0.0.1:" + server.port() + "/"),
        Duration.ofSeconds(10));
  }

  @AfterEach
  void stop() {
    server.close();
    partitions.forEach(TopologyTestDriver::close);
  }

  @Test
  void shouldMergePartialAggregatesOfAllPartitions() {
    Histogram all = Telemetry.histogram();
    for (int d = 0; d < 4; d++) {
      long[] values = {100L * (d + 1), 150L * (d + 1), 3_000L * (d + 1)};
      for (long v : values) {
        all.recordValue(v);
      }
      send(d % 2, Telemetry.batch("dev-" + d, 1, BUILD, "r-1", d < 2 ? "hc-a" : "hc-b", T0.plusSeconds(10 + 60L * d),
          values, 3, 2, 3, 3, 0));
    }

    BuildAggregates build = client.build(BUILD).orElseThrow();
    assertThat(build.totals().batches()).isEqualTo(4);
    assertThat(build.totals().devices()).isEqualTo(4);
    assertThat(build.totals().p99Micros()).isEqualTo((double) all.getValueAtPercentile(99));
    assertThat(build.totals().p50Micros()).isEqualTo((double) all.getValueAtPercentile(50));
    assertThat(build.totals().top1Accuracy()).isEqualTo(2.0 / 3);
    assertThat(build.byHardwareClass()).hasSize(2);
    assertThat(client.builds()).extracting(BuildAggregates::buildKey).containsExactly(BUILD);

    BuildWindows windows = client.buildWindows(BUILD, null, T0, T0.plusSeconds(600));
    assertThat(windows.windows()).extracting(w -> w.windowStart())
        .containsExactly(T0, T0.plusSeconds(60), T0.plusSeconds(120), T0.plusSeconds(180));
    assertThat(client.buildWindows(BUILD, "hc-b", T0, T0.plusSeconds(600)).windows()).hasSize(2);
    assertThat(client.buildWindows(BUILD, null, T0.plusSeconds(60), T0.plusSeconds(120)).windows()).hasSize(2);

    RolloutAggregates rollout = client.rollout("r-1", T0, T0.plusSeconds(600)).orElseThrow();
    assertThat(rollout.total().batches()).isEqualTo(4);
    assertThat(rollout.total().p99Micros()).isEqualTo((double) all.getValueAtPercentile(99));
    assertThat(rollout.total().throughputPerSecond()).isEqualTo(12 / 240.0);
    assertThat(client.device("dev-3", T0, T0.plusSeconds(600)).orElseThrow().total().inferences()).isEqualTo(3);
    assertThat(client.rollout("r-2", T0, T0.plusSeconds(600))).isEmpty();
  }

  @Test
  void shouldAnswerErrorsAsProblemDetails() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> notFound = get(http, "/aggregates/builds/unknown");
    assertThat(notFound.statusCode()).isEqualTo(404);
    assertThat(notFound.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(notFound.body()).contains("\"code\":\"telemetry.not-found\"").contains("\"status\":404");
    HttpResponse<String> badRange = get(http, "/aggregates/devices/dev-1?from=2025-06-02T00:00:00Z&to=2025-06-01T00:00:00Z");
    assertThat(badRange.statusCode()).isEqualTo(400);
    assertThat(badRange.body()).contains("telemetry.bad-request");
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri("/health"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(get(http, "/nothing/here").statusCode()).isEqualTo(404);
  }

  @Test
  void shouldReportHealthFromTheStreamStateAndMetricsInPrometheusFormat() throws Exception {
    send(0, Telemetry.batch("dev-1", 1, BUILD, null, "hc-a", T0.plusSeconds(5), new long[] {100}, 0, 0, 0, 0, 0));
    send(0, Telemetry.batch("dev-1", 1, BUILD, null, "hc-a", T0.plusSeconds(5), new long[] {100}, 0, 0, 0, 0, 0));
    assertThat(client.isHealthy()).isTrue();
    state.set("REBALANCING");
    assertThat(client.isHealthy()).isFalse();
    HttpResponse<String> metricsText = get(HttpClient.newHttpClient(), "/metrics");
    assertThat(metricsText.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v)
        .startsWith("text/plain; version=0.0.4"));
    assertThat(metricsText.body()).contains("telemetry_records_processed_total 1\n")
        .contains("telemetry_replays_dropped_total 1\n")
        .contains("telemetry_freshness_seconds_count 1\n")
        .contains("telemetry_stream_state{state=\"REBALANCING\"} 1");
  }

  @Test
  void shouldReportUnavailableStoresAs503() {
    TelemetryQueryService unavailable = new TelemetryQueryService(new AggregateStores() {
      @Override
      public List<ReadOnlyWindowStore<String, TelemetryAggregate>> windowStores(String storeName) {
        throw new TelemetryPipelineException(TelemetryErrorCode.STORE_UNAVAILABLE, "rebalancing");
      }

      @Override
      public List<ReadOnlyKeyValueStore<String, TelemetryAggregate>> keyValueStores(String storeName) {
        throw new TelemetryPipelineException(TelemetryErrorCode.STORE_UNAVAILABLE, "rebalancing");
      }
    }, Duration.ofMinutes(1));
    queries = unavailable;
    assertThatThrownBy(() -> client.build(BUILD)).isInstanceOf(TelemetryPipelineException.class)
        .satisfies(e -> assertThat(((TelemetryPipelineException) e).code())
            .isEqualTo(TelemetryErrorCode.STORE_UNAVAILABLE));
  }

  private void send(int partition, InferenceTelemetry t) {
    inputs.get(partition).pipeInput(new TestRecord<>(t.deviceId(), CODEC.encode(t, "/test"),
        t.windowEnd().plusMillis(50)));
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private HttpResponse<String> get(HttpClient http, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Every test driver is one partition. */
  private final class DriverStores implements AggregateStores {
    @Override
    public List<ReadOnlyWindowStore<String, TelemetryAggregate>> windowStores(String storeName) {
      List<ReadOnlyWindowStore<String, TelemetryAggregate>> out = new ArrayList<>();
      partitions.forEach(d -> out.add(d.<String, TelemetryAggregate>getWindowStore(storeName)));
      return out;
    }

    @Override
    public List<ReadOnlyKeyValueStore<String, TelemetryAggregate>> keyValueStores(String storeName) {
      List<ReadOnlyKeyValueStore<String, TelemetryAggregate>> out = new ArrayList<>();
      partitions.forEach(d -> out.add(d.<String, TelemetryAggregate>getKeyValueStore(storeName)));
      return out;
    }
  }
}
