package io.edgefleet.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgefleet.localstack.LocalStack;
import io.edgefleet.localstack.LocalStackConfig;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.schemas.events.InferenceTelemetry;
import io.edgefleet.telemetry.config.TelemetryPipelineConfig;
import io.edgefleet.telemetry.testing.Telemetry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Ingestion benchmark (not a test: run by {@code -Ptelemetry-bench} only). In one run on the local stack:
 *
 * <ol>
 *   <li>raw broker producer throughput for the same record size, measured by Kafka's own
 *       {@code org.apache.kafka.tools.ProducerPerformance} in a child JVM (acks=all, idempotent);
 *   <li>sustained events/s through the whole path: producer → Kafka → topology → queryable store (time from the first
 *       send until the last batch is applied to every store, verified through the query service);
 *   <li>end-to-end freshness (now − record timestamp when queryable) while producing at 50% of that maximum rate;
 *   <li>the raw producer throughput again (the machine is shared; the ratio uses the mean of both raw runs).
 * </ol>
 *
 * <p>Both producers use the client defaults for batching (linger.ms, batch.size, no compression), acks=all and
 * idempotence, so neither side gets a batching advantage.
 *
 * Writes the table to {@code docs/benchmarks/telemetry.md} (system property {@code telemetry.bench.report}).
 */
class TelemetryIngestBenchmark {
  private static final EventCodec CODEC = new EventCodec();
  private static final int PARTITIONS = 2;
  /** One stream thread per input partition (the pipeline's parallelism is bounded by the partitions). */
  private static final int STREAM_THREADS = Integer.getInteger("telemetry.bench.stream-threads", PARTITIONS);
  private static final int DEVICES = 1_000;
  private static final int EVENTS = Integer.getInteger("telemetry.bench.events", 60_000);
  private static final Duration PACED_DURATION = Duration.ofSeconds(Long.getLong("telemetry.bench.paced-seconds", 30));
  /** Everything from this line on in the report is hand-written history, kept when the benchmark rewrites it. */
  static final String HISTORY_MARKER = "<!-- history: kept by TelemetryIngestBenchmark -->";
  private static final Pattern PERF_LINE = Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\)");

  @Test
  void shouldMeasureIngestionAgainstRawProducerThroughput() throws Exception {
    String loadBefore = loadAverage();
    Path data = Files.createTempDirectory("telemetry-bench");
    try (LocalStack stack = LocalStack.start(LocalStackConfig.builder().dataDir(data).build())) {
      String bootstrap = stack.kafkaBootstrapServers();
      String topic = "bench.telemetry." + UUID.randomUUID().toString().substring(0, 8);
      String rawTopic = topic + ".raw";
      String rawTopicAfter = topic + ".raw-after";
      createTopics(bootstrap, topic, rawTopic, rawTopicAfter);

      // pre-encoded telemetry: 1000 devices, 3 hardware classes, 2 builds, ~100 latencies per batch
      Instant now = Instant.now();
      List<ProducerRecord<String, byte[]>> records = generate(topic, EVENTS, 0, now);
      long bytes = records.stream().mapToLong(r -> r.value().length).sum();
      int recordSize = (int) (bytes / records.size());

      PerfResult raw = producerPerformance(bootstrap, rawTopic, EVENTS, recordSize);

      Map<String, String> props = new HashMap<>();
      props.put("telemetry.kafka.bootstrap-servers", bootstrap);
      props.put("telemetry.topic", topic);
      props.put("telemetry.application-id", "telemetry-bench-" + UUID.randomUUID());
      props.put("telemetry.state-dir", data.resolve("streams").toString());
      props.put("telemetry.http.host", "127.0.0.1");
      props.put("telemetry.http.port", "0");
      props.put("telemetry.http.advertised-host", "127.0.0.1");
      props.put("telemetry.window.grace", "10m");
      props.put("telemetry.stream-threads", Integer.toString(STREAM_THREADS));
      TelemetryPipelineConfig config = TelemetryPipelineConfig.from(TelemetryPipelineConfig.source(props, Map.of()));
      try (TelemetryPipeline pipeline = TelemetryPipeline.start(config);
          KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
        await().atMost(Duration.ofMinutes(2)).until(() -> pipeline.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING);

        long start = System.nanoTime();
        for (ProducerRecord<String, byte[]> r : records) {
          producer.send(r);
        }
        producer.flush();
        long produced = System.nanoTime();
        await().atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofMillis(20))
            .until(() -> pipeline.metrics().accepted() >= EVENTS);
        long done = System.nanoTime();
        double pipelineRate = EVENTS / ((done - start) / 1e9);
        double producerOnlyRate = EVENTS / ((produced - start) / 1e9);
        long queryable = pipeline.queries().builds().stream().mapToLong(b -> b.totals().batches()).sum();
        assertThat(queryable).isEqualTo(EVENTS);

        // paced phase at 50% of the pipeline's maximum rate
        double pacedRate = pipelineRate / 2;
        int pacedEvents = (int) (pacedRate * PACED_DURATION.toSeconds());
        List<ProducerRecord<String, byte[]>> paced = generate(topic, pacedEvents, EVENTS / DEVICES + 1, Instant.now());
        Histogram before = pipeline.metrics().freshnessSnapshot();
        long intervalNanos = (long) (1e9 / pacedRate);
        long next = System.nanoTime();
        for (ProducerRecord<String, byte[]> r : paced) {
          long wait = next - System.nanoTime();
          if (wait > 0) {
            LockSupport.parkNanos(wait);
          }
          producer.send(r);
          next += intervalNanos;
        }
        producer.flush();
        long target = EVENTS + (long) pacedEvents;
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(50))
            .until(() -> pipeline.metrics().accepted() >= target);
        Histogram freshness = pipeline.metrics().freshnessSnapshot();
        freshness.subtract(before);

        // the machine is shared: measure the raw producer again after the pipeline phases and compare the pipeline
        // with the mean of both raw runs, so that a load change between the phases shows (both are reported)
        PerfResult rawAfter = producerPerformance(bootstrap, rawTopicAfter, EVENTS, recordSize);

        String report = report(recordSize, raw, rawAfter, pipelineRate, producerOnlyRate, pacedRate, pacedEvents,
            freshness)
            + "\nLoad average (1/5/15 min) at start: " + loadBefore + "; at end: " + loadAverage()
            + ". The machine is shared with other builds: absolute figures vary with that load; the ratio is measured"
            + " in the same run, under the same load.\n";
        System.out.println(report);
        String out = System.getProperty("telemetry.bench.report");
        if (out != null) {
          Path p = Path.of(out);
          Files.createDirectories(p.getParent());
          Files.writeString(p, report + keptHistory(p));
        }
      }
    }
  }

  private static List<ProducerRecord<String, byte[]>> generate(String topic, int n, long firstSequence, Instant end) {
    Random random = new Random(firstSequence + n);
    String[] builds = {"a".repeat(64), "b".repeat(64)};
    List<ProducerRecord<String, byte[]>> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int device = i % DEVICES;
      long sequence = firstSequence + i / DEVICES;
      long[] latencies = new long[100];
      for (int k = 0; k < latencies.length; k++) {
        latencies[k] = 800 + (long) Math.abs(random.nextGaussian() * 300) + device % 7 * 100;
      }
      InferenceTelemetry t = Telemetry.batch("device-" + device, sequence, builds[device % 2], "rollout-1",
          "hc-" + device % 3, end, latencies, 100, 90, 100, 97, 0);
      out.add(new ProducerRecord<>(topic, t.deviceId(), CODEC.encode(t, "/bench")));
    }
    return out;
  }

  private static KafkaProducer<String, byte[]> producer(String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return new KafkaProducer<>(p);
  }

  private static void createTopics(String bootstrap, String... topics) throws Exception {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(p)) {
      List<NewTopic> list = new ArrayList<>();
      for (String t : topics) {
        list.add(new NewTopic(t, Optional.of(PARTITIONS), Optional.empty()));
      }
      admin.createTopics(list).all().get(60, TimeUnit.SECONDS);
    }
  }

  record PerfResult(long records, double recordsPerSecond, double megabytesPerSecond, String line) {}

  /** Runs Kafka's ProducerPerformance (kafka-tools) in a child JVM on the same classpath. */
  private static PerfResult producerPerformance(String bootstrap, String topic, int records, int recordSize)
      throws IOException, InterruptedException {
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        "-cp", System.getProperty("java.class.path"), "org.apache.kafka.tools.ProducerPerformance",
        "--topic", topic, "--num-records", Integer.toString(records), "--record-size", Integer.toString(recordSize),
        "--throughput", "-1", "--producer-props", "bootstrap.servers=" + bootstrap, "acks=all",
        "enable.idempotence=true");
    Process process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String last = null;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        System.out.println("[ProducerPerformance] " + line);
        if (PERF_LINE.matcher(line).find()) {
          last = line;
        }
      }
    }
    int exit = process.waitFor();
    assertThat(exit).as("ProducerPerformance exit code").isZero();
    assertThat(last).as("ProducerPerformance summary line").isNotNull();
    Matcher m = PERF_LINE.matcher(last);
    assertThat(m.find()).isTrue();
    return new PerfResult(Long.parseLong(m.group(1)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
        last);
  }

  private static String report(int recordSize, PerfResult raw, PerfResult rawAfter, double pipelineRate,
      double producerOnlyRate,
      double pacedRate, int pacedEvents, Histogram freshness) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Telemetry ingestion benchmark\n\n");
    sb.append("Produced by `./mvnw -o -pl telemetry-pipeline verify -Ptelemetry-bench` (class ")
        .append("`telemetry-pipeline/src/test/java/io/edgefleet/telemetry/TelemetryIngestBenchmark.java`) on ")
        .append(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)).append(", ")
        .append(Runtime.getRuntime().availableProcessors()).append(" CPUs (shared), Java ")
        .append(System.getProperty("java.version")).append(".\n\n");
    sb.append("Setup: local stack (real Kafka ").append("KRaft broker in a child JVM), topics with ").append(PARTITIONS)
        .append(" partitions, ").append(STREAM_THREADS)
        .append(" Kafka Streams thread(s) (at_least_once, RocksDB stores, 10 MB cache, commit interval 1 s), ")
        .append(DEVICES).append(" devices, 2 builds, 3 hardware classes, 100 latencies per batch, ")
        .append(EVENTS).append(" events in the max-rate phase; every event updates 5 stores ")
        .append("(dedup, 3 windowed, totals).\n\n");
    sb.append("| measure | value |\n|---|---|\n");
    sb.append(row("event size (CloudEvents JSON, compressed histogram)", recordSize + " B"));
    double rawMean = (raw.recordsPerSecond() + rawAfter.recordsPerSecond()) / 2;
    sb.append(row("raw broker producer throughput (ProducerPerformance, acks=all, same size), before / after the"
            + " pipeline phases",
        fmt(raw.recordsPerSecond()) + " / " + fmt(rawAfter.recordsPerSecond()) + " events/s ("
            + raw.megabytesPerSecond() + " / " + rawAfter.megabytesPerSecond() + " MB/s), mean " + fmt(rawMean)
            + " events/s"));
    sb.append(row("pipeline sustained throughput, producer → Kafka → topology → queryable store",
        fmt(pipelineRate) + " events/s"));
    sb.append(row("ratio pipeline / raw producer (mean of both raw runs)", String.format(Locale.ROOT, "%.1f %%",
        100 * pipelineRate / rawMean)));
    sb.append(row("producer send rate during the pipeline run (same JVM as the pipeline)",
        fmt(producerOnlyRate) + " events/s"));
    sb.append(row("paced rate (50 % of pipeline max)", fmt(pacedRate) + " events/s, " + pacedEvents + " events"));
    sb.append(row("freshness p50 at 50 % rate (now − record timestamp when queryable)",
        freshness.getValueAtPercentile(50) + " ms"));
    sb.append(row("freshness p99 at 50 % rate", freshness.getValueAtPercentile(99) + " ms"));
    sb.append(row("freshness max at 50 % rate", freshness.getMaxValue() + " ms"));
    sb.append("\nTargets (issue 7): pipeline ≥ 50 % of raw producer throughput; p99 freshness ≤ 2 s at 50 % of max.\n");
    sb.append("\nRaw ProducerPerformance summaries (before, after): `").append(raw.line()).append("`, `")
        .append(rawAfter.line()).append("`\n");
    return sb.toString();
  }

  /** The hand-written part of an existing report (from {@link #HISTORY_MARKER} on), kept across runs. */
  private static String keptHistory(Path report) throws IOException {
    if (!Files.exists(report)) {
      return "";
    }
    String existing = Files.readString(report);
    int at = existing.indexOf(HISTORY_MARKER);
    return at < 0 ? "" : "\n" + existing.substring(at);
  }

  private static String loadAverage() throws IOException {
    Path p = Path.of("/proc/loadavg");
    if (!Files.exists(p)) {
      return "n/a";
    }
    String[] parts = Files.readString(p).trim().split("\\s+");
    return parts[0] + " / " + parts[1] + " / " + parts[2];
  }

  private static String row(String k, String v) {
    return "| " + k + " | " + v + " |\n";
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%,.0f", v);
  }
}
