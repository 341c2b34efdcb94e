package io.edgefleet.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefleet.localstack.LocalStack;
import io.edgefleet.localstack.LocalStackConfig;
import io.edgefleet.schemas.Topics;
import io.edgefleet.schemas.api.DeviceAssignment;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.schemas.codec.EventDecodingException;
import io.edgefleet.schemas.events.DeviceEvent;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.http.Method;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real local stack (Kafka broker, S3 server) of an agent integration test class, with what those tests do with it:
 * upload objects, presign them as the control plane does, and collect the events agents publish. Register it as a
 * static {@code @RegisterExtension} field: it starts before the class's tests (on a fresh data directory under
 * {@code target/}) and stops after them.
 */
final class AgentTestStack implements BeforeAllCallback, AfterAllCallback {
  private LocalStack stack;
  private MinioClient s3;

  @Override
  public void beforeAll(ExtensionContext context) {
    stack = LocalStack.start(LocalStackConfig.builder().dataDir(Path.of("target", "it-local-stack-" + UUID.randomUUID())).build());
    s3 = MinioClient.builder().endpoint(stack.s3Endpoint()).credentials(stack.s3AccessKey(), stack.s3SecretKey()).build();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (stack != null) {
      stack.close();
    }
  }

  String kafkaBootstrapServers() {
    return stack.kafkaBootstrapServers();
  }

  void stopKafka() {
    stack.stopKafka();
  }

  void startKafka() {
    stack.startKafka();
  }

  void upload(String object, byte[] bytes) throws Exception {
    s3.putObject(
        PutObjectArgs.builder().bucket(stack.s3Bucket()).object(object).stream(new ByteArrayInputStream(bytes), bytes.length, -1).build());
  }

  String presign(String object) {
    try {
      return s3.getPresignedObjectUrl(
          GetPresignedObjectUrlArgs.builder().method(Method.GET).bucket(stack.s3Bucket()).object(object).expiry(15, TimeUnit.MINUTES).build());
    } catch (Exception e) {
      throw new IllegalStateException("cannot presign " + object, e);
    }
  }

  /**
   * A stored assignment (holding object names) as the control plane answers it at request time: the artifact at
   * {@code artifactUrl}, the evaluation set and reference outputs presigned, URLs valid 15 minutes.
   */
  DeviceAssignment served(DeviceAssignment a, String artifactUrl) {
    return new DeviceAssignment(
        a.deviceId(), a.revision(), a.rolloutId(), a.buildKey(), artifactUrl, a.artifactSha256(), a.sizeBytes(),
        a.signature(), a.signingKeyId(), presign(a.evalSetUrl()), presign(a.referenceOutputsUrl()), a.maxAccuracyDrop(),
        a.pollIntervalSeconds(), Instant.now().plusSeconds(900));
  }

  /** A consumer of the feedback and telemetry topics from the earliest offset, in a fresh group named after {@code groupPrefix}. */
  DeviceEvents subscribe(String groupPrefix) {
    return new DeviceEvents(stack.kafkaBootstrapServers(), groupPrefix + UUID.randomUUID());
  }

  /** The device events read from Kafka so far, in arrival order. */
  static final class DeviceEvents implements AutoCloseable {
    private final EventCodec codec = new EventCodec();
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<DeviceEvent> received = new CopyOnWriteArrayList<>();

    private DeviceEvents(String bootstrapServers, String groupId) {
      Properties p = new Properties();
      p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
      p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
      p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
      consumer.subscribe(List.of(Topics.TELEMETRY, Topics.DEVICE_FEEDBACK));
    }

    /** Polls once (200 ms) and keeps what arrived; an undecodable record fails the test. */
    void drain() {
      drain(false);
    }

    /** {@link #drain()}, also asserting that every record is keyed by the device id of its event. */
    void drainCheckingKeys() {
      drain(true);
    }

    private void drain(boolean checkKeys) {
      for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        try {
          DeviceEvent e = codec.decode(r.value(), DeviceEvent.class).event();
          if (checkKeys) {
            assertThat(r.key()).isEqualTo(e.deviceId());
          }
          received.add(e);
        } catch (EventDecodingException e) {
          throw new AssertionError("undecodable record on " + r.topic() + ": " + e.getMessage(), e);
        }
      }
    }

    /** Every event received so far (a live view). */
    List<DeviceEvent> received() {
      return received;
    }

    /** The events of {@code type} published by {@code deviceId}, in arrival order. */
    <E extends DeviceEvent> List<E> of(Class<E> type, String deviceId) {
      return received.stream().filter(e -> type.isInstance(e) && e.deviceId().equals(deviceId)).map(type::cast).toList();
    }

    @Override
    public void close() {
      consumer.close();
    }
  }
}
