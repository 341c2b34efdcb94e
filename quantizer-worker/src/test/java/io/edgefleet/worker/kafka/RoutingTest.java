package io.edgefleet.worker.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefleet.schemas.Topics;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.schemas.events.AnalysisFailed;
import io.edgefleet.schemas.events.AnalysisRequested;
import io.edgefleet.schemas.events.BuildFailed;
import io.edgefleet.schemas.events.BuildKeys;
import io.edgefleet.schemas.events.BuildRequested;
import io.edgefleet.schemas.events.QuantizationPlan;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

class RoutingTest {
  private static final EventCodec CODEC = new EventCodec();
  private static final String MODEL_SHA = BuildKeys.sha256Hex("model".getBytes(StandardCharsets.UTF_8));
  private static final String PLAN_HASH = BuildKeys.sha256Hex("plan".getBytes(StandardCharsets.UTF_8));
  private static final String BUILD_KEY = BuildKeys.of(MODEL_SHA, PLAN_HASH);

  static BuildRequested request(String buildKey) {
    return new BuildRequested(
        buildKey,
        "model-1",
        MODEL_SHA,
        "models/" + MODEL_SHA + ".tflite",
        "samples/c.efs",
        "samples/e.efs",
        new QuantizationPlan("FULL_INT8", Map.of(), PLAN_HASH, "test"),
        Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Test
  void shouldRouteAValidRequestToABuild() {
    byte[] value = CODEC.encode(request(BUILD_KEY), "/test");

    Routing r = Routing.of(BUILD_KEY, value, CODEC);

    assertThat(r).isInstanceOfSatisfying(Routing.Build.class, b -> assertThat(b.request()).isEqualTo(request(BUILD_KEY)));
  }

  @Test
  void shouldDeadLetterGarbageWithTheDecodeFailureKey() {
    Routing r = Routing.of(BUILD_KEY, new byte[] {0x00, (byte) 0xff, 0x13}, CODEC);

    assertThat(r).isInstanceOfSatisfying(
        Routing.DeadLetter.class, d -> assertThat(d.reason()).startsWith("event.malformed-json: "));
  }

  @Test
  void shouldDeadLetterAnEmptyValue() {
    assertThat(Routing.of(BUILD_KEY, null, CODEC))
        .isInstanceOfSatisfying(Routing.DeadLetter.class, d -> assertThat(d.reason()).startsWith("event.empty: "));
  }

  @Test
  void shouldDeadLetterABuildEventThatIsNotARequest() {
    byte[] value = CODEC.encode(new BuildFailed(BUILD_KEY, "X", "m", false, "w", Instant.now()), "/test");

    Routing r = Routing.of(BUILD_KEY, value, CODEC);

    assertThat(r).isInstanceOfSatisfying(
        Routing.DeadLetter.class,
        d -> assertThat(d.reason()).startsWith("event.unexpected-type: ").contains("BuildFailed"));
  }

  @Test
  void shouldDeadLetterARequestWhoseRecordKeyDiffersFromItsBuildKey() {
    byte[] value = CODEC.encode(request(BUILD_KEY), "/test");

    Routing r = Routing.of("other-key", value, CODEC);

    assertThat(r).isInstanceOfSatisfying(
        Routing.DeadLetter.class, d -> assertThat(d.reason()).startsWith("worker.invalid-request: ").contains("other-key"));
  }

  @Test
  void shouldDeadLetterARequestWhoseBuildKeyIsNotDerivedFromModelAndPlan() {
    String forged = BuildKeys.sha256Hex("forged".getBytes(StandardCharsets.UTF_8));
    byte[] value = CODEC.encode(request(forged), "/test");

    Routing r = Routing.of(forged, value, CODEC);

    assertThat(r).isInstanceOfSatisfying(
        Routing.DeadLetter.class, d -> assertThat(d.reason()).startsWith("worker.invalid-request: ").contains(BUILD_KEY));
  }

  @Test
  void shouldCopyKeyValueAndSourceCoordinatesIntoTheDeadLetter() {
    byte[] value = "not json".getBytes(StandardCharsets.UTF_8);
    ConsumerRecord<String, byte[]> source = new ConsumerRecord<>(Topics.BUILD_REQUESTS, 2, 41L, "k", value);

    ProducerRecord<String, byte[]> dlq = DeadLetters.of(source, "event.malformed-json: not JSON");

    assertThat(dlq.topic()).isEqualTo("fleet.build.requests.dlq");
    assertThat(dlq.key()).isEqualTo("k");
    assertThat(dlq.value()).isEqualTo(value);
    assertThat(header(dlq, Topics.DLQ_REASON_HEADER)).isEqualTo("event.malformed-json: not JSON");
    assertThat(header(dlq, Topics.DLQ_SOURCE_TOPIC_HEADER)).isEqualTo(Topics.BUILD_REQUESTS);
    assertThat(header(dlq, Topics.DLQ_SOURCE_PARTITION_HEADER)).isEqualTo("2");
    assertThat(header(dlq, Topics.DLQ_SOURCE_OFFSET_HEADER)).isEqualTo("41");
  }

  @Test
  void shouldDropOversizedValuesFromTheDeadLetter() {
    byte[] value = new byte[EventCodec.MAX_EVENT_BYTES + 1];
    ConsumerRecord<String, byte[]> source = new ConsumerRecord<>(Topics.BUILD_REQUESTS, 0, 7L, "k", value);

    ProducerRecord<String, byte[]> dlq = DeadLetters.of(source, "event.oversized: too big");

    assertThat(dlq.value()).isNull();
    assertThat(header(dlq, DeadLetters.DLQ_VALUE_DROPPED_HEADER)).isEqualTo(Integer.toString(value.length));
  }

  private static String header(ProducerRecord<String, byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  static AnalysisRequested analysisRequest(String sha) {
    return new AnalysisRequested(
        "model-1", sha, "models/" + sha + ".tflite", "samples/c.efs", "samples/e.efs",
        Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Test
  void shouldRouteAnAnalysisRequestByTopic() {
    byte[] value = CODEC.encode(analysisRequest(MODEL_SHA), "/test");

    Routing r = Routing.of(Topics.ANALYSIS_REQUESTS, MODEL_SHA, value, CODEC);

    assertThat(r).isInstanceOfSatisfying(
        Routing.Analysis.class, a -> assertThat(a.request()).isEqualTo(analysisRequest(MODEL_SHA)));
  }

  @Test
  void shouldDeadLetterABuildRequestOnTheAnalysisTopic() {
    byte[] value = CODEC.encode(request(BUILD_KEY), "/test");

    Routing r = Routing.of(Topics.ANALYSIS_REQUESTS, BUILD_KEY, value, CODEC);

    assertThat(r).isInstanceOfSatisfying(
        Routing.DeadLetter.class, d -> assertThat(d.reason()).startsWith("event.unexpected-type: "));
  }

  @Test
  void shouldDeadLetterAnAnalysisResultAndAKeyMismatchOnTheAnalysisTopic() {
    byte[] result =
        CODEC.encode(new AnalysisFailed("m", MODEL_SHA, "X", "m", false, "w", Instant.now()), "/test");
    byte[] request = CODEC.encode(analysisRequest(MODEL_SHA), "/test");

    Routing wrongType = Routing.of(Topics.ANALYSIS_REQUESTS, MODEL_SHA, result, CODEC);
    Routing wrongKey = Routing.of(Topics.ANALYSIS_REQUESTS, "other-key", request, CODEC);
    Routing garbage = Routing.of(Topics.ANALYSIS_REQUESTS, MODEL_SHA, new byte[] {0x7b, 0x00}, CODEC);

    assertThat(wrongType).isInstanceOfSatisfying(
        Routing.DeadLetter.class,
        d -> assertThat(d.reason()).startsWith("event.unexpected-type: ").contains("AnalysisFailed"));
    assertThat(wrongKey).isInstanceOfSatisfying(
        Routing.DeadLetter.class,
        d -> assertThat(d.reason()).startsWith("worker.invalid-request: ").contains("other-key"));
    assertThat(garbage).isInstanceOfSatisfying(
        Routing.DeadLetter.class, d -> assertThat(d.reason()).startsWith("event.malformed-json: "));
  }

  @Test
  void shouldRouteBuildRequestsByTopicAsBefore() {
    byte[] value = CODEC.encode(request(BUILD_KEY), "/test");

    assertThat(Routing.of(Topics.BUILD_REQUESTS, BUILD_KEY, value, CODEC)).isInstanceOf(Routing.Build.class);
  }
}
