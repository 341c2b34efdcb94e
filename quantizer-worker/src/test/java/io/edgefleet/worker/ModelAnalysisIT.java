package io.edgefleet.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgefleet.fixtures.FixtureModel;
import io.edgefleet.fixtures.Fixtures;
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
import io.edgefleet.worker.storage.StorageLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
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

  private WorkerTestStack env;
  private byte[] cnn;
  private String cnnSha;
  private String calibrationKey;
  private String evalKey;
  private SampleSet evalSet;
  private AnalysisCompleted cnnAnalysis;

  @BeforeAll
  void startStackAndWorker() throws Exception {
    env = WorkerTestStack.start("it-analysis-worker",
        Map.of("worker.analysis.sensitivity-samples", "200", "worker.analysis.latency-runs", "30"),
        List.of(Topics.ANALYSIS_RESULTS, Topics.BUILD_RESULTS, Topics.deadLetter(Topics.ANALYSIS_REQUESTS)));

    cnn = Fixtures.model(FixtureModel.FASHION_CNN);
    cnnSha = BuildKeys.sha256Hex(cnn);
    env.put("models/" + cnnSha + ".tflite", cnn);
    byte[] calibration = Fixtures.calibrationSet();
    byte[] eval = Fixtures.evalSet();
    evalSet = SampleSetCodec.read(eval);
    calibrationKey = "samples/" + BuildKeys.sha256Hex(calibration) + ".efs";
    evalKey = "samples/" + BuildKeys.sha256Hex(eval) + ".efs";
    env.put(calibrationKey, calibration);
    env.put(evalKey, eval);
  }

  @AfterAll
  void stopEverything() {
    if (env != null) {
      env.close();
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
        EventCodec.mapper().readValue(env.get(StorageLayout.analysisKey(cnnSha)), AnalysisCompleted.class);
    assertThat(stored).isEqualTo(analysis);
    System.out.printf("FASHION_CNN analysis: %d ms, %d layers, %d sensitivity samples, fixed %d B%n",
        analysis.durationMillis(), analysis.layers().size(), analysis.sensitivitySamples(), analysis.fixedBytes());

    // a repeated request is answered from analyses/<sha>.json, nothing is measured again
    long measuredBefore = env.worker.stats().analyses();
    long reusedBefore = env.worker.stats().analysesReused();
    int resultsBefore = analysisResults(cnnSha).size();
    AnalysisRequested again = analysisRequest("model-cnn", cnnSha, "models/" + cnnSha + ".tflite");
    send(Topics.ANALYSIS_REQUESTS, cnnSha, CODEC.encode(again, "/it"));

    AnalysisCompleted repeated =
        (AnalysisCompleted) awaitAnalysisResults(cnnSha, resultsBefore + 1).get(resultsBefore);

    assertThat(repeated).isEqualTo(analysis);
    assertThat(env.worker.stats().analysesReused()).isEqualTo(reusedBefore + 1);
    assertThat(env.worker.stats().analyses()).isEqualTo(measuredBefore);
  }

  @Test
  void shouldFailACorruptModelAsNotRetriableAndKeepConsuming() throws Exception {
    byte[] corrupt = new byte[4096];
    new Random(5).nextBytes(corrupt);
    String corruptSha = BuildKeys.sha256Hex(corrupt);
    env.put("models/" + corruptSha + ".tflite", corrupt);
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
      return env.observed().stream().anyMatch(r -> r.topic().equals(dlq) && garbageKey.equals(r.key()));
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

    byte[] artifact = env.get(completed.artifactObjectKey());
    assertThat(BuildKeys.sha256Hex(artifact)).isEqualTo(completed.artifactSha256());
    assertThat(ArtifactSignatures.verify(env.keys.getPublic(), completed.artifactSha256(), artifact.length,
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
    env.send(topic, key, value);
  }

  private List<AnalysisEvent> awaitAnalysisResults(String sha, int count) throws EventDecodingException {
    await().atMost(WAIT).until(() -> analysisResults(sha).size() >= count);
    return analysisResults(sha);
  }

  private List<AnalysisEvent> analysisResults(String sha) throws EventDecodingException {
    return env.events(Topics.ANALYSIS_RESULTS, sha, AnalysisEvent.class);
  }

  private List<BuildEvent> awaitBuildResults(String buildKey, int count) throws EventDecodingException {
    await().atMost(WAIT).until(() -> buildResults(buildKey).size() >= count);
    return buildResults(buildKey);
  }

  private List<BuildEvent> buildResults(String buildKey) throws EventDecodingException {
    return env.events(Topics.BUILD_RESULTS, buildKey, BuildEvent.class);
  }
}
