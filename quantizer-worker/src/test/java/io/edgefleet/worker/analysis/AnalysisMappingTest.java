package io.edgefleet.worker.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgefleet.planner.Precision;
import io.edgefleet.quantization.model.OpInfo;
import io.edgefleet.quantization.quantize.LayerPrecision;
import io.edgefleet.quantization.samples.SampleSet;
import io.edgefleet.quantization.sensitivity.ProgressListener;
import io.edgefleet.quantizer.mixed.AnalysisOptions;
import io.edgefleet.quantizer.mixed.MixedPrecisionPipeline;
import io.edgefleet.quantizer.mixed.ModelAnalysis;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.schemas.events.AnalysisCompleted;
import io.edgefleet.schemas.events.AnalysisEvent;
import io.edgefleet.schemas.events.BuildKeys;
import io.edgefleet.schemas.events.EventType;
import io.edgefleet.schemas.events.LayerAnalysis;
import io.edgefleet.schemas.events.LayerAnalysis.PrecisionOption;
import io.edgefleet.worker.jobs.MixedPlans;
import io.edgefleet.worker.testing.TinyModels;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The real mixed-precision pipeline on the tiny classifier, mapped to the wire form. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnalysisMappingTest {
  private static final EventCodec CODEC = new EventCodec();

  private byte[] model;
  private ModelAnalysis analysis;
  private List<LayerAnalysis> layers;

  @BeforeAll
  void analyse() {
    model = TinyModels.classifier(11);
    SampleSet calibration = TinyModels.samples(model, 120, 1);
    AnalysisOptions options =
        AnalysisOptions.defaults()
            .withQuantizer(MixedPlans.quantizerOptions(1))
            .withPrecisions(MixedPlans.MIXABLE)
            .withLatency(5, 1);
    analysis =
        MixedPrecisionPipeline.analyze(
            model, calibration, AnalysisJob.evenlySpaced(calibration, 40), options, ProgressListener.NONE);
    layers = AnalysisMapping.layers(analysis);
  }

  @Test
  void shouldListEveryOperatorInGraphOrderWithItsCandidatePrecisions() {
    List<OpInfo> ops = analysis.model().ops();

    assertThat(layers).extracting(LayerAnalysis::layerId)
        .containsExactly("0:RESHAPE", "1:FULLY_CONNECTED", "2:FULLY_CONNECTED", "3:SOFTMAX");
    for (int i = 0; i < ops.size(); i++) {
      LayerAnalysis layer = layers.get(i);
      Set<String> expected =
          MixedPlans.candidates(ops.get(i)).stream().map(MixedPlans::key).collect(Collectors.toSet());
      assertThat(layer.options().keySet()).isEqualTo(expected);
      assertThat(layer.opType()).isEqualTo(ops.get(i).name());
      assertThat(layer.paramCount()).isEqualTo(ops.get(i).parameterCount());
      assertThat(layer.macs()).isEqualTo(ops.get(i).macs());
      assertThat(layer.tieGroup()).isNull();
      for (String key : layer.options().keySet()) {
        assertThat(Precision.fromKey(key).key()).isEqualTo(key);
      }
    }
    assertThat(layers.get(1).macs()).isEqualTo(64L * 28 * 28);
  }

  @Test
  void shouldReportFloat32AsTheLosslessReferenceAndFiniteMeasurementsElsewhere() {
    for (LayerAnalysis layer : layers) {
      PrecisionOption f32 = layer.options().get("float32");
      assertThat(f32.agreement()).isEqualTo(1.0);
      assertThat(f32.outputMse()).isZero();
      assertThat(f32.outputKl()).isZero();
      for (PrecisionOption o : layer.options().values()) {
        assertThat(o.agreement()).isBetween(0.0, 1.0);
        assertThat(o.outputMse()).isFinite().isGreaterThanOrEqualTo(0.0);
        assertThat(o.outputKl()).isFinite().isGreaterThanOrEqualTo(0.0);
        assertThat(o.latencyMicros()).isFinite().isGreaterThanOrEqualTo(0.0);
      }
    }
    LayerAnalysis fc1 = layers.get(1);
    assertThat(fc1.options().get("int8").sizeBytes()).isLessThan(fc1.options().get("float32").sizeBytes());
    assertThat(fc1.options().get("int4-weights").sizeBytes()).isLessThan(fc1.options().get("int8").sizeBytes());
    assertThat(fc1.options().get("int4-weights").weightProxy())
        .isGreaterThan(fc1.options().get("int8").weightProxy())
        .isGreaterThan(0.0);
    assertThat(layers.get(0).options().get("int8").weightProxy()).isEqualTo(-1.0);
    // quantizing the big layer to 4 bits changes the outputs more than keeping it at half precision
    assertThat(fc1.options().get("int4-weights").outputMse()).isGreaterThan(fc1.options().get("float16").outputMse());
  }

  @Test
  void shouldMakeFixedBytesPlusChosenSizesPredictTheModelSizeLikeTheAnalysis() {
    Map<String, String> allFloat = new HashMap<>();
    Map<String, String> mixed = new HashMap<>();
    Map<Integer, LayerPrecision> mixedIndexed = new HashMap<>();
    for (OpInfo op : analysis.model().ops()) {
      allFloat.put(op.layerId(), "float32");
      LayerPrecision p = op.index() == 1 ? LayerPrecision.INT4_WEIGHTS : LayerPrecision.INT8;
      mixed.put(op.layerId(), MixedPlans.key(p));
      mixedIndexed.put(op.index(), p);
    }

    assertThat(AnalysisMapping.predictedBytes(analysis.fixedBytes(), layers, allFloat)).isEqualTo(model.length);
    assertThat(AnalysisMapping.predictedBytes(analysis.fixedBytes(), layers, mixed))
        .isEqualTo(analysis.predictedModelBytes(mixedIndexed));
    long built = MixedPrecisionPipeline.build(analysis, mixedIndexed).sizeBytes();
    assertThat((double) built).isCloseTo(
        AnalysisMapping.predictedBytes(analysis.fixedBytes(), layers, mixed),
        org.assertj.core.data.Percentage.withPercentage(3));
  }

  @Test
  void shouldRoundTripThroughTheEventCodecAndValidateAgainstTheSchema() throws Exception {
    String sha = BuildKeys.sha256Hex(model);
    AnalysisCompleted completed =
        new AnalysisCompleted(
            "model-1", sha, "w1", model.length, analysis.fixedBytes(), 40, "test host", layers, 1234,
            Instant.parse("2026-01-01T00:00:00Z"));

    byte[] encoded = CODEC.encode(completed, "/test");
    AnalysisEvent decoded = CODEC.decode(encoded, AnalysisEvent.class).event();
    JsonNode data = EventCodec.mapper().readTree(encoded).get("data");

    assertThat(decoded).isEqualTo(completed);
    assertThat(CODEC.validateData(EventType.ANALYSIS_COMPLETED, data)).isEmpty();
    assertThat(new TreeMap<>(((AnalysisCompleted) decoded).layers().get(1).options()))
        .containsOnlyKeys("float16", "float32", "int4-weights", "int8");
  }

  @Test
  void shouldPickEvenlySpacedSensitivitySamples() {
    SampleSet set = TinyModels.samples(model, 10, 3);

    SampleSet picked = AnalysisJob.evenlySpaced(set, 4);

    assertThat(picked.count()).isEqualTo(4);
    assertThat(picked.inputs()).isDeepEqualTo(
        new float[][] {set.inputs()[0], set.inputs()[2], set.inputs()[5], set.inputs()[7]});
    assertThat(picked.labels()).containsExactly(set.labels()[0], set.labels()[2], set.labels()[5], set.labels()[7]);
    assertThat(AnalysisJob.evenlySpaced(set, 10)).isSameAs(set);
  }
}
