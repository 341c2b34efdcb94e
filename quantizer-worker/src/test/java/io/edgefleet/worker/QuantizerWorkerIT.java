package io.edgefleet.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgefleet.localstack.Component;
import io.edgefleet.quantization.ErrorCode;
import io.edgefleet.quantization.runtime.TfliteRunner;
import io.edgefleet.quantization.samples.SampleSet;
import io.edgefleet.quantization.samples.SampleSetCodec;
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
import io.edgefleet.worker.storage.StorageLayout;
import io.edgefleet.worker.testing.TinyModels;
import io.minio.StatObjectArgs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The worker in-process against the real local stack (Kafka KRaft broker, S3 server in a child JVM): real model, real
 * quantization, real TFLite runtime.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuantizerWorkerIT {
  private static final Duration BUILD_WAIT = Duration.ofMinutes(3);
  private static final EventCodec CODEC = new EventCodec();

  private WorkerTestStack env;
  private byte[] floatModel;
  private String modelSha;
  private String calibrationKey;
  private String evalKey;
  private SampleSet evalSet;

  @BeforeAll
  void startStackAndWorker() throws Exception {
    env = WorkerTestStack.start("it-worker", Map.of(),
        List.of(Topics.BUILD_RESULTS, Topics.deadLetter(Topics.BUILD_REQUESTS)));

    floatModel = TinyModels.classifier(7);
    modelSha = BuildKeys.sha256Hex(floatModel);
    put("models/" + modelSha + ".tflite", floatModel);
    byte[] calibration = SampleSetCodec.write(TinyModels.samples(floatModel, 200, 1));
    evalSet = TinyModels.samples(floatModel, 300, 2);
    byte[] eval = SampleSetCodec.write(evalSet);
    calibrationKey = "samples/" + BuildKeys.sha256Hex(calibration) + ".efs";
    evalKey = "samples/" + BuildKeys.sha256Hex(eval) + ".efs";
    put(calibrationKey, calibration);
    put(evalKey, eval);
  }

  @AfterAll
  void stopEverything() {
    if (env != null) {
      env.close();
    }
  }

  @Test
  void shouldBuildSignAndStoreAFullInt8ModelAndAnswerARedeliveryFromTheManifest() throws Exception {
    BuildRequested request = request("FULL_INT8", modelSha, "models/" + modelSha + ".tflite");
    long buildsBefore = env.worker.stats().builds();
    send(request.buildKey(), CODEC.encode(request, "/it"));

    BuildCompleted completed = awaitResults(request.buildKey(), 1).get(0).map(BuildCompleted.class::cast).orElseThrow();

    assertThat(env.worker.stats().builds()).isEqualTo(buildsBefore + 1);
    byte[] artifact = get(completed.artifactObjectKey());
    assertThat(completed.artifactObjectKey()).isEqualTo(StorageLayout.artifactKey(completed.artifactSha256()));
    assertThat(BuildKeys.sha256Hex(artifact)).isEqualTo(completed.artifactSha256());
    assertThat((long) artifact.length).isEqualTo(completed.sizeBytes()).isLessThan(floatModel.length / 2);
    assertThat(completed.signingKeyId()).isEqualTo(ArtifactSignatures.keyId(env.keys.getPublic()));
    assertThat(ArtifactSignatures.verify(env.keys.getPublic(), completed.artifactSha256(), artifact.length, completed.signature()))
        .isTrue();
    assertThat(completed.modelSha256()).isEqualTo(modelSha);
    assertThat(completed.workerId()).isEqualTo("it-worker");

    SampleSet references = SampleSetCodec.read(get(completed.referenceOutputsObjectKey()));
    assertThat(references.count()).isEqualTo(evalSet.count());
    assertThat(references.sampleShape()).containsExactly(10);
    int agree = 0;
    try (TfliteRunner runner = TfliteRunner.load(artifact, 1)) {
      assertThat(runner.inputShape()).containsExactly(1, 28, 28, 1);
      float[][] outputs = runner.inferAll(evalSet);
      for (int i = 0; i < outputs.length; i++) {
        assertThat(outputs[i]).hasSize(10);
        for (float v : outputs[i]) {
          assertThat(Float.isFinite(v)).isTrue();
        }
        if (TinyModels.argmax(outputs[i]) == TinyModels.argmax(references.inputs()[i])) {
          agree++;
        }
      }
    }
    double agreement = agree / (double) evalSet.count();
    assertThat(completed.metrics().evalSamples()).isEqualTo(evalSet.count());
    assertThat(completed.metrics().floatTop1()).isEqualTo(1.0); // eval labels are the float model's own predictions
    assertThat(completed.metrics().agreementWithFloat()).isEqualTo(agreement, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(agreement).isGreaterThan(0.8);
    assertThat(completed.metrics().floatSizeBytes()).isEqualTo(floatModel.length);
    assertThat(completed.metrics().p50LatencyMicros()).isPositive();
    assertThat(completed.metrics().floatP50LatencyMicros()).isPositive();
    assertThat(env.s3.statObject(StatObjectArgs.builder().bucket(env.stack.s3Bucket())
            .object(StorageLayout.manifestKey(request.buildKey())).build()).size()).isPositive();
    System.out.printf(
        "FULL_INT8 build: %d ms, float %d B -> int8 %d B, p50 float %.1f us -> int8 %.1f us, top1 %.3f -> %.3f, agreement %.3f%n",
        completed.durationMillis(), floatModel.length, completed.sizeBytes(),
        completed.metrics().floatP50LatencyMicros(), completed.metrics().p50LatencyMicros(),
        completed.metrics().floatTop1(), completed.metrics().quantizedTop1(), completed.metrics().agreementWithFloat());

    // the same request again (redelivery / duplicate request): answered from the manifest, nothing rebuilt
    long reusedBefore = env.worker.stats().reused();
    send(request.buildKey(), CODEC.encode(request, "/it"));

    BuildCompleted again = awaitResults(request.buildKey(), 2).get(1).map(BuildCompleted.class::cast).orElseThrow();

    assertThat(again).isEqualTo(completed);
    assertThat(env.worker.stats().reused()).isEqualTo(reusedBefore + 1);
    assertThat(env.worker.stats().builds()).isEqualTo(buildsBefore + 1);
  }

  @Test
  void shouldDeadLetterPoisonRecordsAndKeepConsuming() throws Exception {
    String garbageKey = "garbage-" + UUID.randomUUID();
    String wrongTypeKey = BuildKeys.sha256Hex(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
    send(garbageKey, new byte[] {0x00, 0x01, (byte) 0xfe, 0x7f});
    BuildFailed wrongType = new BuildFailed(wrongTypeKey, "X", "not a request", false, "it", Instant.now());
    send(wrongTypeKey, CODEC.encode(wrongType, "/it"));
    BuildRequested valid = request("FLOAT16", modelSha, "models/" + modelSha + ".tflite");
    send(valid.buildKey(), CODEC.encode(valid, "/it"));

    ConsumerRecord<String, byte[]> garbageDlq = awaitDeadLetter(garbageKey);
    ConsumerRecord<String, byte[]> wrongTypeDlq = awaitDeadLetter(wrongTypeKey);
    Optional<BuildEvent> result = awaitResults(valid.buildKey(), 1).get(0);

    assertThat(header(garbageDlq, Topics.DLQ_REASON_HEADER)).startsWith("event.malformed-json");
    assertThat(header(garbageDlq, Topics.DLQ_SOURCE_TOPIC_HEADER)).isEqualTo(Topics.BUILD_REQUESTS);
    assertThat(header(garbageDlq, Topics.DLQ_SOURCE_OFFSET_HEADER)).isNotBlank();
    assertThat(garbageDlq.value()).containsExactly(0x00, 0x01, (byte) 0xfe, 0x7f);
    assertThat(header(wrongTypeDlq, Topics.DLQ_REASON_HEADER)).startsWith("event.unexpected-type");
    assertThat(result).get().isInstanceOf(BuildCompleted.class);
    assertThat(env.worker.stats().deadLettered()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void shouldFailACorruptModelWithTheCorruptModelCode() throws Exception {
    byte[] corrupt = new byte[4096];
    new java.util.Random(3).nextBytes(corrupt);
    String corruptSha = BuildKeys.sha256Hex(corrupt);
    put("models/" + corruptSha + ".tflite", corrupt);
    BuildRequested request = request("FULL_INT8", corruptSha, "models/" + corruptSha + ".tflite");
    send(request.buildKey(), CODEC.encode(request, "/it"));

    BuildFailed failed = awaitResults(request.buildKey(), 1).get(0).map(BuildFailed.class::cast).orElseThrow();

    assertThat(failed.errorCode()).isEqualTo(ErrorCode.CORRUPT_MODEL.key());
    assertThat(failed.retriable()).isFalse();
    assertThat(failed.message()).isNotBlank();
  }

  @Test
  void shouldFailWhenTheModelDoesNotMatchItsHash() throws Exception {
    String claimed = BuildKeys.sha256Hex("another model".getBytes(StandardCharsets.UTF_8));
    BuildRequested request = request("FULL_INT8", claimed, "models/" + modelSha + ".tflite");
    send(request.buildKey(), CODEC.encode(request, "/it"));

    BuildFailed failed = awaitResults(request.buildKey(), 1).get(0).map(BuildFailed.class::cast).orElseThrow();

    assertThat(failed.errorCode()).isEqualTo(WorkerErrorCode.MODEL_HASH_MISMATCH.key());
    assertThat(failed.retriable()).isFalse();
  }

  @Test
  void shouldRejectAMixedPlanWithoutLayersAsAnInvalidPlan() throws Exception {
    BuildRequested request = request("MIXED", modelSha, "models/" + modelSha + ".tflite");
    send(request.buildKey(), CODEC.encode(request, "/it"));

    BuildFailed failed = awaitResults(request.buildKey(), 1).get(0).map(BuildFailed.class::cast).orElseThrow();

    assertThat(failed.errorCode()).isEqualTo(WorkerErrorCode.INVALID_PLAN.key());
    assertThat(failed.retriable()).isFalse();
  }

  @Test
  void shouldReportARetriableFailureAfterAStorageOutageAndRecoverWhenStorageReturns() throws Exception {
    env.stack.stop(Component.S3);
    try {
      BuildRequested during = request("FULL_INT8", modelSha, "models/" + modelSha + ".tflite");
      send(during.buildKey(), CODEC.encode(during, "/it"));

      BuildFailed failed = awaitResults(during.buildKey(), 1).get(0).map(BuildFailed.class::cast).orElseThrow();

      assertThat(failed.errorCode()).isEqualTo(WorkerErrorCode.STORAGE_UNAVAILABLE.key());
      assertThat(failed.retriable()).isTrue();

      // storage comes back while the worker is retrying: the build completes without a failure
      long retriesBefore = env.worker.stats().storageRetries();
      BuildRequested recovering = request("FULL_INT8", modelSha, "models/" + modelSha + ".tflite");
      send(recovering.buildKey(), CODEC.encode(recovering, "/it"));
      await().atMost(BUILD_WAIT).until(() -> env.worker.stats().storageRetries() > retriesBefore);
      env.stack.start(Component.S3);

      assertThat(awaitResults(recovering.buildKey(), 1).get(0)).get().isInstanceOf(BuildCompleted.class);
    } finally {
      env.stack.start(Component.S3);
    }
  }

  private BuildRequested request(String mode, String sha, String modelKey) {
    String planHash = BuildKeys.sha256Hex((mode + "-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));
    return new BuildRequested(
        BuildKeys.of(sha, planHash),
        "model-it",
        sha,
        modelKey,
        calibrationKey,
        evalKey,
        new QuantizationPlan(mode, Map.of(), planHash, "integration test"),
        Instant.now());
  }

  private void send(String key, byte[] value) throws Exception {
    env.send(Topics.BUILD_REQUESTS, key, value);
  }

  /** Waits until {@code count} results for {@code buildKey} were published; returns them in order. */
  private List<Optional<BuildEvent>> awaitResults(String buildKey, int count) throws EventDecodingException {
    await().atMost(BUILD_WAIT).until(() -> resultsFor(buildKey).size() >= count);
    return resultsFor(buildKey);
  }

  private List<Optional<BuildEvent>> resultsFor(String buildKey) throws EventDecodingException {
    return env.events(Topics.BUILD_RESULTS, buildKey, BuildEvent.class).stream().map(Optional::of).toList();
  }

  private ConsumerRecord<String, byte[]> awaitDeadLetter(String key) {
    String dlq = Topics.deadLetter(Topics.BUILD_REQUESTS);
    await().atMost(BUILD_WAIT).until(() -> env.observed().stream()
        .anyMatch(r -> r.topic().equals(dlq) && key.equals(r.key())));
    return env.observed().stream().filter(r -> r.topic().equals(dlq) && key.equals(r.key())).findFirst()
        .orElseThrow();
  }

  private static String header(ConsumerRecord<String, byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private void put(String key, byte[] bytes) throws Exception {
    env.put(key, bytes);
  }

  private byte[] get(String key) throws Exception {
    return env.get(key);
  }
}
