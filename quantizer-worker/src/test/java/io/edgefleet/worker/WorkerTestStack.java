package io.edgefleet.worker;

import io.edgefleet.localstack.LocalStack;
import io.edgefleet.localstack.LocalStackConfig;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.schemas.codec.EventDecodingException;
import io.edgefleet.schemas.events.FleetEvent;
import io.edgefleet.schemas.signing.ArtifactSignatures;
import io.edgefleet.worker.config.WorkerConfig;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
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

/**
 * What the worker's integration tests share: the real local stack (Kafka KRaft broker, S3 server), a freshly generated
 * signing key, one worker in-process on them, a producer for requests, and an observer that records every record of
 * the topics a test watches.
 */
final class WorkerTestStack implements AutoCloseable {
  static final EventCodec CODEC = new EventCodec();

  final LocalStack stack;
  final MinioClient s3;
  final KeyPair keys;
  final Worker worker;
  private final KafkaProducer<String, byte[]> producer;
  private final KafkaConsumer<String, byte[]> observer;
  private final List<ConsumerRecord<String, byte[]>> observed = new CopyOnWriteArrayList<>();

  private WorkerTestStack(LocalStack stack, MinioClient s3, KeyPair keys, Worker worker,
      KafkaProducer<String, byte[]> producer, KafkaConsumer<String, byte[]> observer) {
    this.stack = stack;
    this.s3 = s3;
    this.keys = keys;
    this.worker = worker;
    this.producer = producer;
    this.observer = observer;
  }

  /**
   * Starts the stack and a worker named {@code workerId} (3 min build timeout, 20 s storage retry, one interpreter
   * thread, plus {@code extraSettings}), and observes {@code observedTopics} from their beginning.
   */
  static WorkerTestStack start(String workerId, Map<String, String> extraSettings, List<String> observedTopics)
      throws Exception {
    LocalStack stack = LocalStack.start(LocalStackConfig.builder().build());
    try {
      MinioClient s3 = MinioClient.builder()
          .endpoint(stack.s3Endpoint())
          .credentials(stack.s3AccessKey(), stack.s3SecretKey())
          .region("us-east-1")
          .build();

      KeyPair keys = ArtifactSignatures.generateKeyPair();
      Path keyDir = Files.createDirectories(stack.dataDir().resolve("worker-keys"));
      Path priv = keyDir.resolve("signing.key.pem");
      Path pub = keyDir.resolve("signing.pub.pem");
      Files.writeString(priv, ArtifactSignatures.toPem(keys.getPrivate()));
      Files.writeString(pub, ArtifactSignatures.toPem(keys.getPublic()));

      Map<String, String> props = new HashMap<>();
      props.put("worker.kafka.bootstrap-servers", stack.kafkaBootstrapServers());
      props.put("worker.id", workerId);
      props.put("worker.s3.endpoint", stack.s3Endpoint());
      props.put("worker.s3.access-key", stack.s3AccessKey());
      props.put("worker.s3.secret-key", stack.s3SecretKey());
      props.put("worker.s3.bucket", stack.s3Bucket());
      props.put("worker.signing.private-key", priv.toString());
      props.put("worker.signing.public-key", pub.toString());
      props.put("worker.build-timeout", "3m");
      props.put("worker.kafka.max-poll-interval", "5m");
      props.put("worker.retry.max-elapsed", "20s");
      props.put("worker.interpreter-threads", "1");
      props.putAll(extraSettings);
      Worker worker = Worker.create(WorkerConfig.from(WorkerConfig.source(props, Map.of()))).start();

      Properties pp = new Properties();
      pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
      pp.put(ProducerConfig.ACKS_CONFIG, "all");
      pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
      pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
      KafkaProducer<String, byte[]> producer = new KafkaProducer<>(pp);

      Properties cp = new Properties();
      cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
      cp.put(ConsumerConfig.GROUP_ID_CONFIG, "it-observer-" + UUID.randomUUID());
      cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      cp.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
      cp.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
      KafkaConsumer<String, byte[]> observer = new KafkaConsumer<>(cp);
      observer.subscribe(observedTopics);
      return new WorkerTestStack(stack, s3, keys, worker, producer, observer);
    } catch (Exception | Error e) {
      stack.close();
      throw e;
    }
  }

  void put(String key, byte[] bytes) throws Exception {
    s3.putObject(PutObjectArgs.builder().bucket(stack.s3Bucket()).object(key)
        .stream(new ByteArrayInputStream(bytes), bytes.length, -1).build());
  }

  byte[] get(String key) throws Exception {
    try (GetObjectResponse in = s3.getObject(GetObjectArgs.builder().bucket(stack.s3Bucket()).object(key).build())) {
      return in.readAllBytes();
    }
  }

  void send(String topic, String key, byte[] value) throws Exception {
    producer.send(new ProducerRecord<>(topic, key, value)).get();
  }

  /** Polls the observer once and returns every record observed so far, in arrival order. */
  synchronized List<ConsumerRecord<String, byte[]>> observed() {
    observer.poll(Duration.ofMillis(200)).forEach(observed::add);
    return observed;
  }

  /** The events of {@code family} observed so far on {@code topic} under {@code key}, in order. */
  <E extends FleetEvent> List<E> events(String topic, String key, Class<E> family) throws EventDecodingException {
    List<E> out = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r : observed()) {
      if (r.topic().equals(topic) && key.equals(r.key())) {
        out.add(CODEC.decode(r.value(), family).event());
      }
    }
    return out;
  }

  @Override
  public void close() {
    observer.close();
    producer.close();
    worker.close();
    stack.close();
  }
}
