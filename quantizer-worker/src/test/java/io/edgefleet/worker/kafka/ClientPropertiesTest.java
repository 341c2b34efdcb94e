package io.edgefleet.worker.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefleet.worker.config.WorkerConfig;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ClientPropertiesTest {
  private static final WorkerConfig CONFIG =
      WorkerConfig.from(
          WorkerConfig.source(
              Map.of(
                  "worker.kafka.bootstrap-servers", "127.0.0.1:9092",
                  "worker.id", "w-1",
                  "worker.kafka.max-poll-interval", "20m",
                  "worker.s3.endpoint", "http://127.0.0.1:9000",
                  "worker.s3.access-key", "ak",
                  "worker.s3.secret-key", "sk",
                  "worker.signing.private-key", "/k/priv.pem",
                  "worker.signing.public-key", "/k/pub.pem"),
              Map.of()));

  @Test
  void shouldCommitManuallyOneRecordAtATime() {
    Properties p = RequestConsumer.consumerProperties(CONFIG);

    assertThat(p).containsEntry("enable.auto.commit", "false")
        .containsEntry("max.poll.records", "1")
        .containsEntry("max.poll.interval.ms", Long.toString(20 * 60 * 1000L))
        .containsEntry("group.id", "quantizer-workers")
        .containsEntry("auto.offset.reset", "earliest")
        .containsEntry("client.id", "w-1-consumer");
  }

  @Test
  void shouldProduceIdempotentlyWithAllReplicasAcknowledging() {
    Properties p = RequestConsumer.producerProperties(CONFIG);

    assertThat(p).containsEntry("enable.idempotence", "true").containsEntry("acks", "all");
  }
}
