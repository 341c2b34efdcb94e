package io.edgefleet.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefleet.schemas.codec.DecodeFailure;
import io.edgefleet.schemas.codec.DecodedEvent;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.schemas.codec.EventDecodingException;
import io.edgefleet.schemas.events.AnalysisCompleted;
import io.edgefleet.schemas.events.AnalysisFailed;
import io.edgefleet.schemas.events.AnalysisRequested;
import io.edgefleet.schemas.events.BuildCompleted;
import io.edgefleet.schemas.events.LayerAnalysis;
import io.edgefleet.schemas.events.BuildEvent;
import io.edgefleet.schemas.events.BuildFailed;
import io.edgefleet.schemas.events.BuildKeys;
import io.edgefleet.schemas.events.BuildMetrics;
import io.edgefleet.schemas.events.BuildRequested;
import io.edgefleet.schemas.events.DesiredState;
import io.edgefleet.schemas.events.DeviceEvent;
import io.edgefleet.schemas.events.DeviceFeedback;
import io.edgefleet.schemas.events.EventType;
import io.edgefleet.schemas.events.FeedbackStatus;
import io.edgefleet.schemas.events.FleetEvent;
import io.edgefleet.schemas.events.InferenceTelemetry;
import io.edgefleet.schemas.events.LatencyStats;
import io.edgefleet.schemas.events.OpTiming;
import io.edgefleet.schemas.events.QuantizationPlan;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventCodecTest {

  private static final Instant T = Instant.parse("2026-11-23T10:15:30.123Z");
  private static final String MODEL = BuildKeys.sha256Hex("model".getBytes(StandardCharsets.UTF_8));
  private static final String KEY = BuildKeys.of(MODEL, "plan-1");
  private static final String ART = BuildKeys.sha256Hex("artifact".getBytes(StandardCharsets.UTF_8));

  private static final List<OpTiming> PROFILE = List.of(
      new OpTiming(0, "CONV_2D", 31.0, 32.4, 0.61, 20),
      new OpTiming(1, "Fully Connected (NC, F32) GEMM", 20.0, 20.6, 0.39, 20));

  private final EventCodec codec = new EventCodec();

  static Stream<FleetEvent> samples() {
    QuantizationPlan plan = new QuantizationPlan("MIXED", Map.of("conv1", "INT8", "fc1", "FLOAT16"), "plan-1", "size budget");
    return Stream.of(
        new BuildRequested(KEY, "m-1", MODEL, "models/" + MODEL, "samples/cal", "samples/eval", plan, T),
        new BuildRequested(KEY, null, MODEL, "models/" + MODEL, "samples/cal", null, new QuantizationPlan("FULL_INT8", null, "p", null), null),
        new BuildCompleted(KEY, MODEL, "plan-1", "builds/" + ART, ART, 12345, "c2lnbmF0dXJl", "k1", "ref/x",
            new BuildMetrics(2000, 0.91, 0.905, 0.98, 400000, 120.5, 250.0), "worker-1", 4200, T),
        new BuildFailed(KEY, "UNSUPPORTED_OP", "op CUSTOM is not supported", false, "worker-1", T),
        new DeviceFeedback("dev-1", "r-1", KEY, FeedbackStatus.FAILED, "sha256 mismatch", T),
        new InferenceTelemetry("dev-1", 7, KEY, "r-1", "hc-0011223344556677", T, T.plusSeconds(5),
            new LatencyStats(100, 110.0, 150.0, 190.0, 200.0, 115.2, "HISTFAAAA"), 100, 91, 100, 98, 0, 2, null),
        new InferenceTelemetry("dev-1", 8, KEY, "r-1", "hc-0011223344556677", T, T.plusSeconds(5),
            new LatencyStats(100, 110.0, 150.0, 190.0, 200.0, 115.2, null), 100, 91, 100, 98, 0, 1, PROFILE),
        new DesiredState("dev-1", 3, "r-1", KEY, ART, 12345, "c2ln", "k1", 0.02, T),
        new DesiredState("dev-2", 0, null, null, null, 0, null, null, 0.0, T),
        new AnalysisRequested("m-1", MODEL, "models/" + MODEL, "samples/cal", "samples/eval", T),
        new AnalysisRequested(null, MODEL, "models/" + MODEL, "samples/cal", null, null),
        new AnalysisCompleted("m-1", MODEL, "worker-1", 812652, 2400, 500, "x86_64, 2 cores, 1 thread",
            List.of(
                new LayerAnalysis("0:CONV_2D", "CONV_2D", 320, 225792, null, Map.of(
                    "float32", new LayerAnalysis.PrecisionOption(1280, 40.5, 1.0, 0.0, 0.0, -1),
                    "int8", new LayerAnalysis.PrecisionOption(448, 31.0, 0.998, 1.2e-4, 3.1e-5, 0.0021))),
                new LayerAnalysis("5:FULLY_CONNECTED", "FULLY_CONNECTED", 200000, 200000, "fc", Map.of())),
            5400, T),
        new AnalysisFailed("m-1", MODEL, "UNSUPPORTED_OP", "op CUSTOM is not supported", false, "worker-1", T));
  }

  @ParameterizedTest
  @MethodSource("samples")
  void shouldRoundTripEveryEventAndValidateItsData(FleetEvent event) throws Exception {
    byte[] bytes = codec.encode(event, "/test");

    DecodedEvent<FleetEvent> decoded = codec.decode(bytes);

    assertThat(decoded.event()).isEqualTo(event);
    assertThat(decoded.envelope().type()).isEqualTo(EventType.of(event).type());
    assertThat(decoded.envelope().subject()).isEqualTo(event.key());
    assertThat(decoded.envelope().source()).isEqualTo("/test");
    ObjectNode data = (ObjectNode) EventCodec.mapper().readTree(bytes).get("data");
    assertThat(codec.validateData(EventType.of(event), data)).isEmpty();
  }

  @Test
  void shouldHaveOneEventTypeAndSchemaForEveryPermittedRecord() {
    List<Class<?>> leaves = new ArrayList<>();
    collectLeaves(FleetEvent.class, leaves);
    assertThat(leaves).containsExactlyInAnyOrderElementsOf(
        Arrays.stream(EventType.values()).map(EventType::recordClass).map(c -> (Class<?>) c).toList());
    for (EventType t : EventType.values()) {
      assertThat(EventCodec.class.getResource(t.schemaResource())).as(t.schemaResource()).isNotNull();
      assertThat(EventType.fromType(t.type())).contains(t);
    }
  }

  private static void collectLeaves(Class<?> c, List<Class<?>> out) {
    if (c.isSealed()) {
      for (Class<?> sub : c.getPermittedSubclasses()) {
        collectLeaves(sub, out);
      }
    } else {
      out.add(c);
    }
  }

  @Test
  void shouldTolerateUnknownFieldsInEnvelopeAndData() throws Exception {
    FleetEvent event = samples().filter(e -> e instanceof DeviceFeedback).findFirst().orElseThrow();
    ObjectNode root = (ObjectNode) EventCodec.mapper().readTree(codec.encode(event, "/test"));
    root.put("extension1", "x");
    ((ObjectNode) root.get("data")).put("addedInV1_1", 42);

    DecodedEvent<DeviceEvent> decoded = codec.decode(EventCodec.mapper().writeValueAsBytes(root), DeviceEvent.class);

    assertThat(decoded.event()).isEqualTo(event);
  }

  @Test
  void shouldDecodeTelemetryWithoutTheOptionalOpProfileAsNull() throws Exception {
    InferenceTelemetry withProfile = samples().filter(e -> e instanceof InferenceTelemetry t && t.opProfile() != null)
        .map(InferenceTelemetry.class::cast).findFirst().orElseThrow();
    ObjectNode root = (ObjectNode) EventCodec.mapper().readTree(codec.encode(withProfile, "/test"));
    // what a producer written before the field existed sends: no opProfile at all
    ((ObjectNode) root.get("data")).remove("opProfile");

    DecodedEvent<DeviceEvent> decoded = codec.decode(EventCodec.mapper().writeValueAsBytes(root), DeviceEvent.class);

    assertThat(decoded.event()).isInstanceOf(InferenceTelemetry.class);
    InferenceTelemetry t = (InferenceTelemetry) decoded.event();
    assertThat(t.opProfile()).isNull();
    assertThat(t.sequence()).isEqualTo(withProfile.sequence());
    assertThat(t.latency()).isEqualTo(withProfile.latency());
  }

  @Test
  void shouldCarryTheOpProfileInTheTelemetryJsonAndLetOldReadersIgnoreIt() throws Exception {
    InferenceTelemetry withProfile = samples().filter(e -> e instanceof InferenceTelemetry t && t.opProfile() != null)
        .map(InferenceTelemetry.class::cast).findFirst().orElseThrow();
    byte[] bytes = codec.encode(withProfile, "/test");

    com.fasterxml.jackson.databind.JsonNode profile = EventCodec.mapper().readTree(bytes).get("data").get("opProfile");
    assertThat(profile.isArray()).isTrue();
    assertThat(profile.get(0).get("op").asText()).isEqualTo("CONV_2D");
    assertThat(profile.get(1).get("medianMicros").asDouble()).isEqualTo(20.0);
    // a reader built before the field existed: the telemetry record without opProfile, unknown fields ignored
    record OldTelemetry(String deviceId, long sequence, String buildKey, LatencyStats latency, int threads) {}
    OldTelemetry old = EventCodec.mapper().treeToValue(EventCodec.mapper().readTree(bytes).get("data"), OldTelemetry.class);
    assertThat(old.sequence()).isEqualTo(withProfile.sequence());
    assertThat(old.latency()).isEqualTo(withProfile.latency());
    assertThat(codec.decode(bytes, DeviceEvent.class).event()).isEqualTo(withProfile);
  }

  @Test
  void shouldRejectAnInvalidOpTimingInTheProfile() throws Exception {
    InferenceTelemetry withProfile = samples().filter(e -> e instanceof InferenceTelemetry t && t.opProfile() != null)
        .map(InferenceTelemetry.class::cast).findFirst().orElseThrow();
    ObjectNode root = (ObjectNode) EventCodec.mapper().readTree(codec.encode(withProfile, "/test"));
    ((ObjectNode) root.get("data").get("opProfile").get(0)).put("share", 1.5);

    assertThatThrownBy(() -> codec.decode(EventCodec.mapper().writeValueAsBytes(root), DeviceEvent.class))
        .isInstanceOf(EventDecodingException.class);
    assertThatThrownBy(() -> new OpTiming(0, "CONV_2D", 1, 1, 0.5, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldRejectMalformedDocumentsWithSpecificReasons() throws Exception {
    assertFailure(new byte[0], DecodeFailure.EMPTY);
    assertFailure("{not json".getBytes(StandardCharsets.UTF_8), DecodeFailure.MALFORMED_JSON);
    assertFailure("[1,2]".getBytes(StandardCharsets.UTF_8), DecodeFailure.INVALID_ENVELOPE);
    assertFailure(new byte[EventCodec.MAX_EVENT_BYTES + 1], DecodeFailure.OVERSIZED);

    byte[] valid = codec.encode(samples().findFirst().orElseThrow(), "/test");
    assertFailure(mutate(valid, r -> r.put("specversion", "0.3")), DecodeFailure.UNSUPPORTED_SPEC_VERSION);
    assertFailure(mutate(valid, r -> r.remove("id")), DecodeFailure.INVALID_ENVELOPE);
    assertFailure(mutate(valid, r -> r.put("time", "yesterday")), DecodeFailure.INVALID_ENVELOPE);
    assertFailure(mutate(valid, r -> r.put("type", "fleet.build.requested.v9")), DecodeFailure.UNKNOWN_TYPE);
    assertFailure(mutate(valid, r -> ((ObjectNode) r.get("data")).put("buildKey", "not-a-sha")), DecodeFailure.SCHEMA_VIOLATION);
    assertFailure(mutate(valid, r -> ((ObjectNode) r.get("data")).remove("plan")), DecodeFailure.SCHEMA_VIOLATION);
    assertFailure(mutate(valid, r -> r.put("data", "text")), DecodeFailure.INVALID_ENVELOPE);
  }

  @Test
  void shouldRejectAnEventOfTheWrongFamily() {
    byte[] feedback = codec.encode(samples().filter(e -> e instanceof DeviceFeedback).findFirst().orElseThrow(), "/t");

    assertThatThrownBy(() -> codec.decode(feedback, BuildEvent.class))
        .isInstanceOfSatisfying(EventDecodingException.class, e -> assertThat(e.failure()).isEqualTo(DecodeFailure.UNEXPECTED_TYPE));
  }

  @Test
  void shouldDeriveBuildKeyFromModelAndPlan() {
    assertThat(BuildKeys.of(MODEL, "plan-1")).isEqualTo(KEY).hasSize(64).isNotEqualTo(BuildKeys.of(MODEL, "plan-2"));
  }

  private void assertFailure(byte[] value, DecodeFailure expected) {
    assertThatThrownBy(() -> codec.decode(value))
        .isInstanceOfSatisfying(EventDecodingException.class, e -> {
          assertThat(e.failure()).isEqualTo(expected);
          assertThat(e.getMessage()).startsWith(expected.key());
        });
  }

  private static byte[] mutate(byte[] value, java.util.function.Consumer<ObjectNode> change) throws Exception {
    ObjectNode root = (ObjectNode) EventCodec.mapper().readTree(value);
    change.accept(root);
    return EventCodec.mapper().writeValueAsBytes(root);
  }
}
