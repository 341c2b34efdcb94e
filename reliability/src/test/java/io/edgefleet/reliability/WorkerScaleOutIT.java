package io.edgefleet.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgefleet.demo.ChildProcess;
import io.edgefleet.demo.ProjectLayout;
import io.edgefleet.fixtures.FixtureModel;
import io.edgefleet.fixtures.Fixtures;
import io.edgefleet.localstack.LocalStack;
import io.edgefleet.localstack.LocalStackConfig;
import io.edgefleet.quantization.model.TfliteModel;
import io.edgefleet.schemas.Topics;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.schemas.codec.EventDecodingException;
import io.edgefleet.schemas.events.BuildCompleted;
import io.edgefleet.schemas.events.BuildEvent;
import io.edgefleet.schemas.events.BuildFailed;
import io.edgefleet.schemas.events.BuildKeys;
import io.edgefleet.schemas.events.BuildRequested;
import io.edgefleet.schemas.events.QuantizationPlan;
import io.edgefleet.schemas.signing.ArtifactSignatures;
import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * Quantizer worker scale-out: two worker processes in one consumer group share a burst of build jobs (real Kafka with
 * three partitions, real S3), and every build is produced exactly once — no job is done twice, none is lost.
 */
class WorkerScaleOutIT {
  private static final String GROUP = "edgefleet-quantizer-workers";
  private static final List<String> MODES = List.of("FULL_INT8", "FLOAT16", "DYNAMIC_RANGE_INT8", "INT16X8");
  private static final int VARIANTS = 3;

  @TempDir static Path dataDir;

  private static LocalStack stack;
  private static final List<ChildProcess> workers = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    stack = LocalStack.start(LocalStackConfig.builder().dataDir(dataDir.resolve("stack")).build());
    KeyPair keys = ArtifactSignatures.generateKeyPair();
    Path priv = dataDir.resolve("signing.key.pem");
    Path pub = dataDir.resolve("signing.pub.pem");
    Files.writeString(priv, ArtifactSignatures.toPem(keys.getPrivate()), StandardCharsets.US_ASCII);
    Files.writeString(pub, ArtifactSignatures.toPem(keys.getPublic()), StandardCharsets.US_ASCII);
    String classpath = ProjectLayout.detect().moduleClasspath("quantizer-worker");
    for (int i = 1; i <= 2; i++) {
      workers.add(ChildProcess.startJava("worker-" + i, List.of(
          "-Xmx768m",
          "-Dworker.kafka.bootstrap-servers=" + stack.kafkaBootstrapServers(),
          "-Dworker.kafka.group-id=" + GROUP,
          "-Dworker.id=worker-" + i,
          "-Dworker.s3.endpoint=" + stack.s3Endpoint(),
          "-Dworker.s3.access-key=" + stack.s3AccessKey(),
          "-Dworker.s3.secret-key=" + stack.s3SecretKey(),
          "-Dworker.s3.bucket=" + stack.s3Bucket(),
          "-Dworker.signing.private-key=" + priv,
          "-Dworker.signing.public-key=" + pub,
          "-cp", classpath, "io.edgefleet.worker.WorkerMain"),
          dataDir.resolve("logs/worker-" + i + ".log"), dataDir));
    }
  }

  @AfterAll
  static void stop() {
    workers.forEach(ChildProcess::close);
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void shouldShareABurstOfBuildsAcrossTwoWorkersWithoutDuplicates() throws Exception {
    MinioClient s3 = MinioClient.builder().endpoint(stack.s3Endpoint())
        .credentials(stack.s3AccessKey(), stack.s3SecretKey()).build();
    if (!s3.bucketExists(BucketExistsArgs.builder().bucket(stack.s3Bucket()).build())) {
      s3.makeBucket(MakeBucketArgs.builder().bucket(stack.s3Bucket()).build());
    }
    String calibrationKey = put(s3, "samples/", Fixtures.calibrationSet(), ".efs");
    String evalKey = put(s3, "samples/", Fixtures.evalSet(), ".efs");
    List<BuildRequested> burst = new ArrayList<>();
    for (int v = 0; v < VARIANTS; v++) {
      var model = TfliteModel.parse(Fixtures.model(FixtureModel.FASHION_MLP)).copyModelT();
      model.setDescription("scale-out variant " + v);
      byte[] bytes = TfliteModel.serialize(model);
      String sha = BuildKeys.sha256Hex(bytes);
      String modelKey = put(s3, "models/", bytes, ".tflite");
      for (String mode : MODES) {
        String canonical = "mode=" + mode;
        String planHash = BuildKeys.sha256Hex(canonical.getBytes(StandardCharsets.UTF_8));
        burst.add(new BuildRequested(BuildKeys.of(sha, planHash), "scale-out-" + v, sha, modelKey, calibrationKey,
            evalKey, new QuantizationPlan(mode, Map.of(), planHash, "scale-out test"), Instant.now()));
      }
    }

    EventCodec codec = new EventCodec();
    Map<String, Object> producerProps = new HashMap<>();
    producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
    producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
    Instant t0 = Instant.now();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer())) {
      for (BuildRequested r : burst) {
        producer.send(new ProducerRecord<>(Topics.BUILD_REQUESTS, r.key(), codec.encode(r, "/scale-out-it"))).get();
      }
    }

    Map<String, List<BuildEvent>> results = new ConcurrentHashMap<>();
    Map<String, Object> consumerProps = new HashMap<>();
    consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
    consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "scale-out-audit");
    consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(consumerProps, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(Topics.BUILD_RESULTS));
      await("every build answered").atMost(Duration.ofMinutes(6)).pollInterval(Duration.ZERO).until(() -> {
        workers.forEach(ChildProcess::requireAlive);
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          try {
            if (codec.decode(r.value()).event() instanceof BuildEvent e) {
              results.computeIfAbsent(e.buildKey(), k -> new ArrayList<>()).add(e);
            }
          } catch (EventDecodingException ex) {
            throw new AssertionError("undecodable build result: " + ex.getMessage(), ex);
          }
        }
        return burst.stream().allMatch(r -> results.containsKey(r.buildKey()));
      });
    }
    Duration elapsed = Duration.between(t0, Instant.now());

    Map<String, Integer> perWorker = new TreeMap<>();
    for (BuildRequested r : burst) {
      List<BuildEvent> answers = results.get(r.buildKey());
      assertThat(answers).as("answers for %s (%s)", r.buildKey(), r.plan().mode()).hasSize(1);
      assertThat(answers.get(0)).as("%s %s", r.plan().mode(), answers.get(0)).isInstanceOf(BuildCompleted.class);
      perWorker.merge(((BuildCompleted) answers.get(0)).workerId(), 1, Integer::sum);
    }
    assertThat(results.values().stream().flatMap(List::stream).filter(e -> e instanceof BuildFailed)).isEmpty();
    assertThat(perWorker).as("builds per worker").containsOnlyKeys("worker-1", "worker-2");
    System.out.printf("worker scale-out: %d builds in %.1f s, per worker %s, 0 duplicates%n", burst.size(),
        elapsed.toMillis() / 1000.0, perWorker);
  }

  private static String put(MinioClient s3, String prefix, byte[] bytes, String suffix) throws Exception {
    String key = prefix + BuildKeys.sha256Hex(bytes) + suffix;
    s3.putObject(PutObjectArgs.builder().bucket(stack.s3Bucket()).object(key)
        .stream(new ByteArrayInputStream(bytes), bytes.length, -1).build());
    return key;
  }
}
