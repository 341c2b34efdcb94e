package io.edgefleet.telemetry.config;

import io.edgefleet.config.ConfigKey;

/**
 * Every configuration key of the telemetry pipeline, with its default and description. A key {@code telemetry.a.b-c} is
 * read, in this order, from the system property {@code -Dtelemetry.a.b-c=…}, the environment variable
 * {@code TELEMETRY_A_B_C}, the properties file named by {@link #CONFIG_FILE}, and finally the default. Keys without a
 * default are required.
 */
public enum Setting implements ConfigKey {
  CONFIG_FILE("telemetry.config", "", "optional Java properties file holding any of the keys below"),
  KAFKA_BOOTSTRAP_SERVERS("telemetry.kafka.bootstrap-servers", null, "Kafka bootstrap servers, host:port[,host:port]"),
  APPLICATION_ID("telemetry.application-id", "edgefleet-telemetry-pipeline",
      "Kafka Streams application.id: consumer group and prefix of internal topics"),
  INPUT_TOPIC("telemetry.topic", "fleet.telemetry", "telemetry topic (dead letters go to <topic>.dlq)"),
  STATE_DIR("telemetry.state-dir", "", "Kafka Streams state directory; default <java.io.tmpdir>/edgefleet-telemetry"),
  WINDOW_SIZE("telemetry.window.size", "1m", "tumbling window size of the windowed aggregates"),
  WINDOW_GRACE("telemetry.window.grace", "30s",
      "how late (event time = batch windowEnd) a batch may arrive and still update its window"),
  WINDOW_RETENTION("telemetry.window.retention", "24h",
      "how long windows stay queryable; at least window.size + window.grace"),
  DEDUP_RETENTION("telemetry.dedup.retention", "30d",
      "a device's replay-detection state is purged after it has been silent this long"),
  MAX_CLOCK_SKEW("telemetry.max-clock-skew", "5m",
      "batches whose windowEnd is later than the record timestamp plus this go to the DLQ"),
  HTTP_HOST("telemetry.http.host", "0.0.0.0", "bind address of the HTTP API"),
  HTTP_PORT("telemetry.http.port", "8095", "port of the HTTP API; 0 = any free port"),
  ADVERTISED_HOST("telemetry.http.advertised-host", "",
      "host other instances use to reach this one (application.server); default the local host name"),
  STREAM_THREADS("telemetry.stream-threads", "1", "Kafka Streams threads"),
  PROCESSING_GUARANTEE("telemetry.processing-guarantee", "at_least_once", "at_least_once or exactly_once_v2"),
  COMMIT_INTERVAL("telemetry.commit-interval", "1s", "Kafka Streams commit.interval.ms"),
  CACHE_MAX_BYTES("telemetry.cache-max-bytes", "10485760", "record cache shared by all stream threads, bytes"),
  REPLICATION_FACTOR("telemetry.replication-factor", "-1",
      "replication factor of changelog topics and created topics; -1 = broker default"),
  CREATE_TOPICS("telemetry.create-topics", "true",
      "create the telemetry topic and its DLQ at start if missing (broker defaults for partitions)"),
  ROCKSDB_MEMORY_BYTES("telemetry.rocksdb.memory-bytes", "67108864",
      "block cache + memtables shared by all RocksDB stores of this instance, bytes");

  private final Spec spec;

  Setting(String property, String defaultValue, String description) {
    this.spec = new Spec(property, defaultValue, description);
  }

  @Override
  public Spec spec() {
    return spec;
  }
}
