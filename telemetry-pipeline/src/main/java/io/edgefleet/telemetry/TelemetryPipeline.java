package io.edgefleet.telemetry;

import io.edgefleet.telemetry.config.Setting;
import io.edgefleet.telemetry.config.TelemetryPipelineConfig;
import io.edgefleet.telemetry.http.TelemetryHttpServer;
import io.edgefleet.telemetry.metrics.PipelineMetrics;
import io.edgefleet.telemetry.query.KafkaStreamsAggregateStores;
import io.edgefleet.telemetry.query.TelemetryQueryService;
import io.edgefleet.telemetry.topology.BoundedMemoryRocksDbConfig;
import io.edgefleet.telemetry.topology.TelemetryTopology;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/**
 * The running deployable: Kafka Streams executing {@link TelemetryTopology} plus the HTTP API. Start with
 * {@link #start(TelemetryPipelineConfig)}, stop with {@link #close()} (graceful: the stream commits and closes its
 * stores, the HTTP server drains).
 */
public final class TelemetryPipeline implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(TelemetryPipeline.class.getName());
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final TelemetryPipelineConfig config;
  private final PipelineMetrics metrics;
  private final KafkaStreams streams;
  private final TelemetryHttpServer http;
  private final TelemetryQueryService queries;
  private final CompletableFuture<KafkaStreams.State> terminated = new CompletableFuture<>();
  private boolean closed;

  private TelemetryPipeline(TelemetryPipelineConfig config, PipelineMetrics metrics, KafkaStreams streams,
      TelemetryHttpServer http, TelemetryQueryService queries) {
    this.config = config;
    this.metrics = metrics;
    this.streams = streams;
    this.http = http;
    this.queries = queries;
  }

  /**
   * Creates the topics if configured, starts the stream and the HTTP API.
   *
   * @throws TelemetryPipelineException {@link TelemetryErrorCode#STARTUP_FAILED} if any of it fails
   */
  public static TelemetryPipeline start(TelemetryPipelineConfig config) {
    if (config.createTopics()) {
      createTopics(config);
    }
    PipelineMetrics metrics = new PipelineMetrics();
    KafkaStreams[] holder = new KafkaStreams[1];
    TelemetryQueryService[] queryHolder = new TelemetryQueryService[1];
    TelemetryHttpServer http = TelemetryHttpServer.bind(config.httpHost(), config.httpPort(), () -> queryHolder[0],
        metrics, () -> holder[0] == null ? "CREATED" : holder[0].state().name(), Clock.systemUTC());
    try {
      Properties props = streamsProperties(config, http.port());
      KafkaStreams streams = new KafkaStreams(TelemetryTopology.build(config, metrics, Clock.systemUTC()), props);
      holder[0] = streams;
      queryHolder[0] = new TelemetryQueryService(new KafkaStreamsAggregateStores(streams), config.windowSize());
      TelemetryPipeline pipeline = new TelemetryPipeline(config, metrics, streams, http, queryHolder[0]);
      streams.setStateListener((newState, oldState) -> {
        LOG.log(Level.INFO, "telemetry stream " + oldState + " -> " + newState);
        if (newState == KafkaStreams.State.ERROR || newState == KafkaStreams.State.NOT_RUNNING) {
          pipeline.terminated.complete(newState);
        }
      });
      streams.setUncaughtExceptionHandler(e -> {
        LOG.log(Level.ERROR, "telemetry stream thread failed; shutting the client down", e);
        return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
      });
      streams.start();
      http.start();
      LOG.log(Level.INFO, "telemetry pipeline consuming " + config.inputTopic() + " (DLQ " + config.deadLetterTopic()
          + "), HTTP API on port " + http.port());
      return pipeline;
    } catch (RuntimeException e) {
      http.close();
      if (holder[0] != null) {
        holder[0].close(CLOSE_TIMEOUT);
      }
      throw e instanceof TelemetryPipelineException ? e
          : new TelemetryPipelineException(TelemetryErrorCode.STARTUP_FAILED, "cannot start the stream: " + e, e);
    }
  }

  static Properties streamsProperties(TelemetryPipelineConfig config, int httpPort) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers());
    p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toAbsolutePath().toString());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.processingGuarantee());
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitInterval().toMillis());
    p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, config.cacheMaxBytes());
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, config.replicationFactor());
    p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, config.advertisedHost() + ":" + httpPort);
    p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
    p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
    p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedMemoryRocksDbConfig.class);
    p.put(Setting.ROCKSDB_MEMORY_BYTES.property(), Long.toString(config.rocksDbMemoryBytes()));
    p.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
    p.put(StreamsConfig.producerPrefix(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG), "true");
    return p;
  }

  private static void createTopics(TelemetryPipelineConfig config) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers());
    Optional<Short> replication =
        config.replicationFactor() < 0 ? Optional.empty() : Optional.of((short) config.replicationFactor());
    try (Admin admin = Admin.create(props)) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (String topic : List.of(config.inputTopic(), config.deadLetterTopic())) {
        if (!existing.contains(topic)) {
          missing.add(new NewTopic(topic, Optional.empty(), replication));
        }
      }
      for (var entry : admin.createTopics(missing).values().entrySet()) {
        try {
          entry.getValue().get(30, TimeUnit.SECONDS);
          LOG.log(Level.INFO, "created topic " + entry.getKey());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
          LOG.log(Level.DEBUG, "topic " + entry.getKey() + " was created concurrently");
        }
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new TelemetryPipelineException(TelemetryErrorCode.STARTUP_FAILED,
          "cannot create topics " + config.inputTopic() + " / " + config.deadLetterTopic() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TelemetryPipelineException(TelemetryErrorCode.STARTUP_FAILED, "interrupted while creating topics", e);
    }
  }

  public TelemetryPipelineConfig config() {
    return config;
  }

  public PipelineMetrics metrics() {
    return metrics;
  }

  public TelemetryQueryService queries() {
    return queries;
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  /** Port the HTTP API listens on. */
  public int httpPort() {
    return http.port();
  }

  /** Base URI of the HTTP API on the loopback interface. */
  public URI loopbackUri() {
    return URI.create("http://127.0.0.1:" + http.port());
  }

  /** Completes with ERROR or NOT_RUNNING when the stream stops (on failure or after {@link #close()}). */
  public CompletableFuture<KafkaStreams.State> terminated() {
    return terminated;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    http.close();
    if (!streams.close(CLOSE_TIMEOUT)) {
      LOG.log(Level.WARNING, "telemetry stream did not close within " + CLOSE_TIMEOUT);
    }
  }
}
