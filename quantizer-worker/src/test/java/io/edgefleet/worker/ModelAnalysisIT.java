package io.edgefleet.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgefleet.fixtures.FixtureModel;
import io.edgefleet.fixtures.Fixtures;
import io.edgefleet.localstack.LocalStack;
import io.edgefleet.localstack.LocalStackConfig;
import io.edgefleet.quantization.ErrorCode;
import io.edgefleet.quantization.model.OpInfo;
import io.edgefleet.quantization.model.TfliteModel;
import io.edgefleet.quantization.runtime.TfliteRunner;
import io.edgefleet.quantization.samples.SampleSet;
import io.edgefleet.quantization.samples.SampleSetCodec;
import io.edgefleet.schemas.Topics;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.schemas.codec.EventDecodingException;
import io.edgefleet.schemas.events.AnalysisCompleted;
import io.edgefleet.schemas.events.AnalysisEvent;
import io.edgefleet.schemas.events.AnalysisFailed;
import io.edgefleet.schemas.events.AnalysisRequested;
import io.edgefleet.schemas.events.BuildCompleted;
import io.edgefleet.schemas.events.BuildEvent;
import io.edgefleet.schemas.events.BuildFailed;
import io.edgefleet.schemas.events.BuildKeys;
import io.edgefleet.schemas.events.BuildRequested;
import io.edgefleet.schemas.events.LayerAnalysis;
import io.edgefleet.schemas.events.LayerAnalysis.PrecisionOption;
import io.edgefleet.schemas.events.QuantizationPlan;
import io.edgefleet.schemas.signing.ArtifactSignatures;
import io.edgefleet.worker.analysis.AnalysisMapping;
import io.edgefleet.worker.config.WorkerConfig;
import io.edgefleet.worker.storage.StorageLayout;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
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
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Model analysis and MIXED builds through the worker in-process against the real local stack (Kafka KRaft broker, S3
 * server in a child JVM), on the trained FASHION_CNN fixture with the committed calibration and evaluation sets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelAnalysisIT {
  private static final Duration WAIT = Duration.ofMinutes(3);
  private static final EventCodec CODEC = new EventCodec();

  private LocalStack stack;
  private Worker worker;
  private MinioClient s3;
  private KafkaProducer<String, byte[]> producer;
  private KafkaConsumer<String, byte[]> observer;
  private final List<ConsumerRecord<String, byte[]>> observed = new CopyOnWriteArrayList<>();
  private KeyPair keys;
  private byte[] cnn;
  private String cnnSha;
  private String calibrationKey;
  private String evalKey;
  private SampleSet evalSet;
  private AnalysisCompleted cnnAnalysis;

  @BeforeAll
  void startStackAndWorker() throws Exception {
    stack = LocalStack.start(LocalStackConfig.builder().build());
    s3 = MinioClient.builder()
        .endpoint(stack.s3Endpoint())
        .credentials(stack.s3AccessKey(), stack.s3SecretKey())
        .region("us-east-1")
        .build();

    cnn = Fixtures.model(FixtureModel.FASHION_CNN);
    cnnSha = BuildKeys.sha256Hex(cnn);
    put("models/" + cnnSha + ".tflite", cnn);
    byte[] calibration = Fixtures.calibrationSet();
    byte[] eval = Fixtures.evalSet();
    evalSet = SampleSetCodec.read(eval);
    calibrationKey = "samples/" + BuildKeys.sha256Hex(calibration) + ".efs";
    evalKey = "samples/" + BuildKeys.sha256Hex(eval) + ".efs";
    put(calibrationKey, calibration);
    put(evalKey, eval);

    keys = ArtifactSignatures.generateKeyPair();
    Path keyDir = Files.createDirectories(stack.dataDir().resolve("worker-keys"));
    Path priv = keyDir.resolve("signing.key.pem");
    Path pub = keyDir.resolve("signing.pub.pem");
    Files.writeString(priv, ArtifactSignatures.toPem(keys.getPrivate()));
    Files.writeString(pub, ArtifactSignatures.toPem(keys.getPublic()));

    Map<String, String> props = new HashMap<>();
    props.put("worker.kafka.bootstrap-servers", stack.kafkaBootstrapServers());
    props.put("worker.id", "it-analysis-worker");
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
    props.put("worker.analysis.sensitivity-samples", "200");
    props.put("worker.analysis.latency-runs", "30");
    worker = Worker.create(WorkerConfig.from(WorkerConfig.source(props, Map.of()))).start();

    Properties pp = new Properties();
    pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
    pp.put(ProducerConfig.ACKS_CONFIG, "all");
    pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    producer = new KafkaProducer<>(pp);

    Properties cp = new Properties();
    cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
    cp.put(ConsumerConfig.GROUP_ID_CONFIG, "it-observer-" + UUID.randomUUID());
    cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    cp.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    cp.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    observer = new KafkaConsumer<>(cp);
    observer.subscribe(
        List.of(Topics.ANALYSIS_RESULTS, Topics.BUILD_RESULTS, Topics.deadLetter(Topics.ANALYSIS_REQUESTS)));
  }

  @AfterAll
  void stopEverything() {
    if (observer != null) {
      observer.close();
    }
    if (producer != null) {
      producer.close();
    }
    if (worker != null) {
      worker.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void shouldMeasureEveryLayerOfTheCnnAndAnswerARepeatedRequestFromTheStoredAnalysis() throws Exception {
    AnalysisCompleted analysis = cnnAnalysis();
    TfliteModel model = TfliteModel.parse(cnn);

    assertThat(analysis.modelSha256()).isEqualTo(cnnSha);
    assertThat(analysis.workerId()).isEqualTo("it-analysis-worker");
    assertThat(analysis.floatSizeBytes()).isEqualTo(cnn.length);
    assertThat(analysis.sensitivitySamples()).isEqualTo(200);
    assertThat(analysis.latencyHost()).contains("1 interpreter thread");
    assertThat(analysis.layers()).extracting(LayerAnalysis::layerId)
        .containsExactlyElementsOf(model.ops().stream().map(OpInfo::layerId).collect(Collectors.toList()));
    List<LayerAnalysis> weighted =
        analysis.layers().stream()
            .filter(l -> l.opType().equals("CONV_2D") || l.opType().equals("FULLY_CONNECTED"))
            .collect(Collectors.toList());
    assertThat(weighted).hasSize(4);
    for (LayerAnalysis layer : weighted) {
      assertThat(layer.options()).containsKeys("float32", "float16", "int8", "int4-weights");
      assertThat(layer.options().get("int8").sizeBytes()).isLessThan(layer.options().get("float32").sizeBytes());
      assertThat(layer.paramCount()).isPositive();
      assertThat(layer.macs()).isPositive();
    }
    for (LayerAnalysis layer : analysis.layers()) {
      assertThat(layer.options().get("float32").agreement()).isEqualTo(1.0);
      for (PrecisionOption o : layer.options().values()) {
        assertThat(o.agreement()).isBetween(0.0, 1.0);
        assertThat(o.outputMse()).isFinite().isGreaterThanOrEqualTo(0.0);
        assertThat(o.outputKl()).isFinite().isGreaterThanOrEqualTo(0.0);
        assertThat(o.latencyMicros()).isFinite().isGreaterThanOrEqualTo(0.0);
      }
    }
    Map<String, String> allFloat = plan(analysis, "float32", null);
    assertThat(AnalysisMapping.predictedBytes(analysis.fixedBytes(), analysis.layers(), allFloat))
        .isEqualTo(cnn.length);
    AnalysisCompleted stored =
        EventCodec.mapper().readValue(get(StorageLayout.analysisKey(cnnSha)), AnalysisCompleted.class);
    assertThat(stored).isEqualTo(analysis);
    System.out.printf("FASHION_CNN analysis: %d ms, %d layers, %d sensitivity samples, fixed %d B%n",
        analysis.durationMillis(), analysis.layers().size(), analysis.sensitivitySamples(), analysis.fixedBytes());

    // a repeated request is answered from analyses/<sha>.json, nothing is measured again
    long measuredBefore = worker.stats().analyses();
    long reusedBefore = worker.stats().analysesReused();
    int resultsBefore = analysisResults(cnnSha).size();
    AnalysisRequested again = analysisRequest("model-cnn", cnnSha, "models/" + cnnSha + ".tflite");
    send(Topics.ANALYSIS_REQUESTS, cnnSha, CODEC.encode(again, "/it"));

    AnalysisCompleted repeated =
        (AnalysisCompleted) awaitAnalysisResults(cnnSha, resultsBefore + 1).get(resultsBefore);

    assertThat(repeated).isEqualTo(analysis);
    assertThat(worker.stats().analysesReused()).isEqualTo(reusedBefore + 1);
    assertThat(worker.stats().analyses()).isEqualTo(measuredBefore);
  }

  @Test
  void shouldFailACorruptModelAsNotRetriableAndKeepConsuming() throws Exception {
    byte[] corrupt = new byte[4096];
    new Random(5).nextBytes(corrupt);
    String corruptSha = BuildKeys.sha256Hex(corrupt);
    put("models/" + corruptSha + ".tflite", corrupt);
    String garbageKey = "garbage-" + UUID.randomUUID();

    send(Topics.ANALYSIS_REQUESTS, corruptSha,
        CODEC.encode(analysisRequest("model-corrupt", corruptSha, "models/" + corruptSha + ".tflite"), "/it"));
    send(Topics.ANALYSIS_REQUESTS, garbageKey, "{\"not\":\"an event\"}".getBytes(StandardCharsets.UTF_8));
    AnalysisFailed failed = (AnalysisFailed) awaitAnalysisResults(corruptSha, 1).get(0);

    assertThat(failed.errorCode()).isEqualTo(ErrorCode.CORRUPT_MODEL.key());
    assertThat(failed.retriable()).isFalse();
    assertThat(failed.modelId()).isEqualTo("model-corrupt");
    assertThat(failed.workerId()).isEqualTo("it-analysis-worker");
    String dlq = Topics.deadLetter(Topics.ANALYSIS_REQUESTS);
    await().atMost(WAIT).until(() -> {
      pollObserver();
      return observed.stream().anyMatch(r -> r.topic().equals(dlq) && garbageKey.equals(r.key()));
    });
    // the consumer goes on: a valid request behind them is answered
    assertThat(cnnAnalysis().layers()).isNotEmpty();
  }

  @Test
  void shouldBuildAMixedPlanFromTheAnalysisWhoseSizeMatchesThePrediction() throws Exception {
    AnalysisCompleted analysis = cnnAnalysis();
    LayerAnalysis mostSensitive =
        analysis.layers().stream()
            .filter(l -> l.options().containsKey("float16")) // weighted layers only: the float layer keeps its weights
            .max(Comparator.comparingDouble((LayerAnalysis l) -> l.options().get("int8").outputKl()))
            .orElseThrow();
    Map<String, String> layers = plan(analysis, "int8", mostSensitive.layerId());
    long predicted = AnalysisMapping.predictedBytes(analysis.fixedBytes(), analysis.layers(), layers);
    BuildRequested request = mixedRequest(layers);
    send(Topics.BUILD_REQUESTS, request.buildKey(), CODEC.encode(request, "/it"));

    BuildCompleted completed = (BuildCompleted) awaitBuildResults(request.buildKey(), 1).get(0);

    byte[] artifact = get(completed.artifactObjectKey());
    assertThat(BuildKeys.sha256Hex(artifact)).isEqualTo(completed.artifactSha256());
    assertThat(ArtifactSignatures.verify(keys.getPublic(), completed.artifactSha256(), artifact.length,
        completed.signature())).isTrue();
    assertThat((double) artifact.length).isCloseTo(predicted, Percentage.withPercentage(3));
    assertThat(artifact.length).isLessThan(cnn.length / 2);
    assertThat(completed.metrics().evalSamples()).isEqualTo(evalSet.count());
    assertThat(completed.metrics().agreementWithFloat()).isGreaterThan(0.9);
    assertThat(completed.referenceOutputsObjectKey()).isNotNull();
    try (TfliteRunner runner = TfliteRunner.load(artifact, 1)) {
      assertThat(runner.inputShape()).containsExactly(1, 28, 28, 1);
      float[] out = runner.infer(evalSet.inputs()[0]);
      assertThat(out).hasSize(10);
      for (float v : out) {
        assertThat(Float.isFinite(v)).isTrue();
      }
    }
    System.out.printf("FASHION_CNN MIXED (int8, %s float32): predicted %d B, built %d B, agreement %.4f, top1 %.4f, %d ms%n",
        mostSensitive.layerId(), predicted, artifact.length, completed.metrics().agreementWithFloat(),
        completed.metrics().quantizedTop1(), completed.durationMillis());
  }

  @Test
  void shouldRejectAMixedPlanThatDoesNotFitTheModel() throws Exception {
    Map<String, String> layers = plan(cnnAnalysis(), "int8", null);
    String maxPool = layers.keySet().stream().filter(k -> k.endsWith(":MAX_POOL_2D")).findFirst().orElseThrow();
    layers.put(maxPool, "float16");
    layers.put("99:CONV_2D", "int8");
    BuildRequested request = mixedRequest(layers);
    send(Topics.BUILD_REQUESTS, request.buildKey(), CODEC.encode(request, "/it"));

    BuildFailed failed = (BuildFailed) awaitBuildResults(request.buildKey(), 1).get(0);

    assertThat(failed.errorCode()).isEqualTo(WorkerErrorCode.INVALID_PLAN.key());
    assertThat(failed.retriable()).isFalse();
    assertThat(failed.message()).contains("99:CONV_2D").contains(maxPool);
  }

  /** The FASHION_CNN analysis, requested once per test class. */
  private AnalysisCompleted cnnAnalysis() throws Exception {
    if (cnnAnalysis == null) {
      int before = analysisResults(cnnSha).size();
      AnalysisRequested request = analysisRequest("model-cnn", cnnSha, "models/" + cnnSha + ".tflite");
      send(Topics.ANALYSIS_REQUESTS, cnnSha, CODEC.encode(request, "/it"));
      cnnAnalysis = (AnalysisCompleted) awaitAnalysisResults(cnnSha, before + 1).get(before);
    }
    return cnnAnalysis;
  }

  /** Every layer at {@code precision}, except {@code floatLayer} (may be null) at float32. */
  private static Map<String, String> plan(AnalysisCompleted analysis, String precision, String floatLayer) {
    Map<String, String> layers = new TreeMap<>();
    for (LayerAnalysis layer : analysis.layers()) {
      layers.put(layer.layerId(), layer.layerId().equals(floatLayer) ? "float32" : precision);
    }
    return layers;
  }

  private BuildRequested mixedRequest(Map<String, String> layers) {
    StringBuilder canonical = new StringBuilder("MIXED");
    new TreeMap<>(layers).forEach((k, v) -> canonical.append('\n').append(k).append('=').append(v));
    canonical.append('\n').append(UUID.randomUUID());
    String planHash = BuildKeys.sha256Hex(canonical.toString().getBytes(StandardCharsets.UTF_8));
    return new BuildRequested(
        BuildKeys.of(cnnSha, planHash),
        "model-cnn",
        cnnSha,
        "models/" + cnnSha + ".tflite",
        calibrationKey,
        evalKey,
        new QuantizationPlan("MIXED", layers, planHash, "integration test"),
        Instant.now());
  }

  private AnalysisRequested analysisRequest(String modelId, String sha, String modelKey) {
    return new AnalysisRequested(modelId, sha, modelKey, calibrationKey, evalKey, Instant.now());
  }

  private void send(String topic, String key, byte[] value) throws Exception {
    producer.send(new ProducerRecord<>(topic, key, value)).get();
  }

  private List<AnalysisEvent> awaitAnalysisResults(String sha, int count) throws EventDecodingException {
    await().atMost(WAIT).until(() -> analysisResults(sha).size() >= count);
    return analysisResults(sha);
  }

  private List<AnalysisEvent> analysisResults(String sha) throws EventDecodingException {
    pollObserver();
    List<AnalysisEvent> out = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r : observed) {
      if (r.topic().equals(Topics.ANALYSIS_RESULTS) && sha.equals(r.key())) {
        out.add(CODEC.decode(r.value(), AnalysisEvent.class).event());
      }
    }
    return out;
  }

  private List<BuildEvent> awaitBuildResults(String buildKey, int count) throws EventDecodingException {
    await().atMost(WAIT).until(() -> buildResults(buildKey).size() >= count);
    return buildResults(buildKey);
  }

  private List<BuildEvent> buildResults(String buildKey) throws EventDecodingException {
    pollObserver();
    List<BuildEvent> out = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r : observed) {
      if (r.topic().equals(Topics.BUILD_RESULTS) && buildKey.equals(r.key())) {
        out.add(CODEC.decode(r.value(), BuildEvent.class).event());
      }
    }
    return out;
  }

  private synchronized void pollObserver() {
    observer.poll(Duration.ofMillis(200)).forEach(observed::add);
  }

  private void put(String key, byte[] bytes) throws Exception {
    s3.putObject(PutObjectArgs.builder().bucket(stack.s3Bucket()).object(key)
        .stream(new ByteArrayInputStream(bytes), bytes.length, -1).build());
  }

  private byte[] get(String key) throws Exception {
    try (GetObjectResponse in = s3.getObject(GetObjectArgs.builder().bucket(stack.s3Bucket()).object(key).build())) {
      return in.readAllBytes();
    }
  }
}
