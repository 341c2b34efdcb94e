package io.edgefleet.telemetry.config;

import io.edgefleet.config.LayeredConfig;
import io.edgefleet.schemas.Topics;
import io.edgefleet.telemetry.TelemetryErrorCode;
import io.edgefleet.telemetry.TelemetryPipelineException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Typed configuration of the telemetry pipeline, validated once at start-up (see {@link Setting} for keys, sources and
 * defaults). {@link #defaults(String)} gives a configuration for tests and embedding.
 *
 * @param kafkaBootstrapServers Kafka bootstrap servers
 * @param applicationId Kafka Streams application id
 * @param inputTopic telemetry topic; dead letters go to {@link #deadLetterTopic()}
 * @param stateDir Kafka Streams state directory
 * @param windowSize tumbling window size
 * @param windowGrace lateness (in event time) still accepted into a window
 * @param windowRetention how long windows stay in the stores
 * @param dedupRetention silence after which a device's replay-detection state is purged
 * @param maxClockSkew how far a batch's windowEnd may be ahead of its record timestamp
 * @param httpHost bind address of the HTTP API
 * @param httpPort HTTP port (0 = any free port)
 * @param advertisedHost host name other instances use for this one
 * @param streamThreads Kafka Streams threads
 * @param processingGuarantee {@code at_least_once} or {@code exactly_once_v2}
 * @param commitInterval Kafka Streams commit interval
 * @param cacheMaxBytes record cache size
 * @param replicationFactor replication factor of created topics (-1 = broker default)
 * @param createTopics whether to create the input and DLQ topics at start
 * @param rocksDbMemoryBytes memory shared by all RocksDB stores of the instance
 */
public record TelemetryPipelineConfig(
    String kafkaBootstrapServers,
    String applicationId,
    String inputTopic,
    Path stateDir,
    Duration windowSize,
    Duration windowGrace,
    Duration windowRetention,
    Duration dedupRetention,
    Duration maxClockSkew,
    String httpHost,
    int httpPort,
    String advertisedHost,
    int streamThreads,
    String processingGuarantee,
    Duration commitInterval,
    long cacheMaxBytes,
    int replicationFactor,
    boolean createTopics,
    long rocksDbMemoryBytes) {

  public static final String AT_LEAST_ONCE = "at_least_once";
  public static final String EXACTLY_ONCE_V2 = "exactly_once_v2";

  private static final Pattern APP_ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");
  private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,200}");

  public TelemetryPipelineConfig {
    require(kafkaBootstrapServers != null && kafkaBootstrapServers.matches("[^\\s,]+:\\d+(,[^\\s,]+:\\d+)*"),
        Setting.KAFKA_BOOTSTRAP_SERVERS, "must be host:port[,host:port], got '" + kafkaBootstrapServers + "'");
    require(applicationId != null && APP_ID.matcher(applicationId).matches(), Setting.APPLICATION_ID,
        "must be 1-200 characters of [A-Za-z0-9._-], got '" + applicationId + "'");
    require(inputTopic != null && TOPIC.matcher(inputTopic).matches(), Setting.INPUT_TOPIC,
        "must be a valid topic name, got '" + inputTopic + "'");
    require(stateDir != null, Setting.STATE_DIR, "is required");
    require(windowSize != null && windowSize.toMillis() >= 1000, Setting.WINDOW_SIZE, "must be at least 1s");
    require(windowGrace != null && !windowGrace.isNegative(), Setting.WINDOW_GRACE, "must not be negative");
    require(windowRetention != null && windowRetention.compareTo(windowSize.plus(windowGrace)) >= 0,
        Setting.WINDOW_RETENTION, "must be at least window.size + window.grace (" + windowSize.plus(windowGrace) + ")");
    require(dedupRetention != null && dedupRetention.toMinutes() >= 1, Setting.DEDUP_RETENTION, "must be at least 1m");
    require(maxClockSkew != null && !maxClockSkew.isNegative(), Setting.MAX_CLOCK_SKEW, "must not be negative");
    require(httpHost != null && !httpHost.isBlank(), Setting.HTTP_HOST, "must not be blank");
    require(httpPort >= 0 && httpPort <= 65535, Setting.HTTP_PORT, "must be in [0, 65535], got " + httpPort);
    require(advertisedHost != null && !advertisedHost.isBlank(), Setting.ADVERTISED_HOST, "must not be blank");
    require(streamThreads >= 1 && streamThreads <= 64, Setting.STREAM_THREADS, "must be in [1, 64]");
    require(AT_LEAST_ONCE.equals(processingGuarantee) || EXACTLY_ONCE_V2.equals(processingGuarantee),
        Setting.PROCESSING_GUARANTEE, "must be " + AT_LEAST_ONCE + " or " + EXACTLY_ONCE_V2 + ", got '"
            + processingGuarantee + "'");
    require(commitInterval != null && commitInterval.toMillis() >= 10, Setting.COMMIT_INTERVAL, "must be at least 10ms");
    require(cacheMaxBytes >= 0, Setting.CACHE_MAX_BYTES, "must not be negative");
    require(replicationFactor == -1 || (replicationFactor >= 1 && replicationFactor <= Short.MAX_VALUE),
        Setting.REPLICATION_FACTOR, "must be -1 or positive");
    require(rocksDbMemoryBytes >= 8L << 20, Setting.ROCKSDB_MEMORY_BYTES, "must be at least 8 MiB");
  }

  /** Dead-letter topic of {@link #inputTopic()}, {@code fleet.telemetry.dlq} by default. */
  public String deadLetterTopic() {
    return Topics.deadLetter(inputTopic);
  }

  /** A configuration with every default, for tests and embedding. */
  public static TelemetryPipelineConfig defaults(String kafkaBootstrapServers) {
    return from(source(Map.of(Setting.KAFKA_BOOTSTRAP_SERVERS.property(), kafkaBootstrapServers), Map.of()));
  }

  /** Parses the JVM's system properties, environment and optional properties file. */
  public static TelemetryPipelineConfig load() {
    return from(LayeredConfig.fromSystem(Setting.CONFIG_FILE, TelemetryPipelineConfig::configError));
  }

  /** The pipeline's settings over the given system properties and environment (and the file they name). */
  public static LayeredConfig source(Map<String, String> systemProperties, Map<String, String> environment) {
    return LayeredConfig.of(systemProperties, environment, Setting.CONFIG_FILE, TelemetryPipelineConfig::configError);
  }

  /** Parses and validates every setting. */
  public static TelemetryPipelineConfig from(LayeredConfig source) {
    String stateDir = source.getOrDefault(Setting.STATE_DIR);
    String advertised = source.getOrDefault(Setting.ADVERTISED_HOST);
    return new TelemetryPipelineConfig(
        source.getOrDefault(Setting.KAFKA_BOOTSTRAP_SERVERS),
        source.getOrDefault(Setting.APPLICATION_ID),
        source.getOrDefault(Setting.INPUT_TOPIC),
        stateDir.isEmpty() ? Path.of(System.getProperty("java.io.tmpdir"), "edgefleet-telemetry") : Path.of(stateDir),
        source.duration(Setting.WINDOW_SIZE, ChronoUnit.SECONDS),
        source.duration(Setting.WINDOW_GRACE, ChronoUnit.SECONDS),
        source.duration(Setting.WINDOW_RETENTION, ChronoUnit.SECONDS),
        source.duration(Setting.DEDUP_RETENTION, ChronoUnit.SECONDS),
        source.duration(Setting.MAX_CLOCK_SKEW, ChronoUnit.SECONDS),
        source.getOrDefault(Setting.HTTP_HOST),
        source.integer(Setting.HTTP_PORT),
        advertised.isEmpty() ? localHostName() : advertised,
        source.integer(Setting.STREAM_THREADS),
        source.getOrDefault(Setting.PROCESSING_GUARANTEE).toLowerCase(Locale.ROOT),
        source.duration(Setting.COMMIT_INTERVAL, ChronoUnit.SECONDS),
        source.longValue(Setting.CACHE_MAX_BYTES),
        source.integer(Setting.REPLICATION_FACTOR),
        source.bool(Setting.CREATE_TOPICS),
        source.longValue(Setting.ROCKSDB_MEMORY_BYTES));
  }

  /** A copy with another HTTP port (tests bind to 0). */
  public TelemetryPipelineConfig withHttpPort(int port) {
    return new TelemetryPipelineConfig(kafkaBootstrapServers, applicationId, inputTopic, stateDir, windowSize,
        windowGrace, windowRetention, dedupRetention, maxClockSkew, httpHost, port, advertisedHost, streamThreads,
        processingGuarantee, commitInterval, cacheMaxBytes, replicationFactor, createTopics, rocksDbMemoryBytes);
  }

  private static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      // computed default only: an unresolvable host name is common in containers; set the key to override
      return "localhost";
    }
  }

  private static TelemetryPipelineException invalid(Setting s, String message, Throwable cause) {
    return configError(s.displayName() + ": " + message, cause);
  }

  private static TelemetryPipelineException configError(String message, Throwable cause) {
    return new TelemetryPipelineException(TelemetryErrorCode.INVALID_CONFIG, message, cause);
  }

  private static void require(boolean condition, Setting s, String message) {
    if (!condition) {
      throw invalid(s, message, null);
    }
  }
}
