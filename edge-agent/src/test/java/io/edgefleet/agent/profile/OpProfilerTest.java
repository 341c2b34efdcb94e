package io.edgefleet.agent.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.edgefleet.agent.AgentErrorCode;
import io.edgefleet.agent.AgentException;
import io.edgefleet.agent.inference.ServingLoop;
import io.edgefleet.agent.inference.ServingModel;
import io.edgefleet.agent.telemetry.SequenceStore;
import io.edgefleet.fixtures.FixtureModel;
import io.edgefleet.fixtures.Fixtures;
import io.edgefleet.quantization.model.OpInfo;
import io.edgefleet.quantization.model.TfliteModel;
import io.edgefleet.quantization.quantize.QuantizationMode;
import io.edgefleet.quantization.quantize.Quantizer;
import io.edgefleet.quantization.runtime.TfliteRunner;
import io.edgefleet.quantization.samples.SampleSet;
import io.edgefleet.quantization.samples.SampleSetCodec;
import io.edgefleet.schemas.events.InferenceTelemetry;
import io.edgefleet.schemas.events.OpTiming;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-operator profile through the real TFLite runtime on the Fashion-MNIST fixtures. */
class OpProfilerTest {
  private static final int RUNS = 15;
  private static SampleSet eval;

  @TempDir Path dir;

  @BeforeAll
  static void loadSamples() {
    SampleSet all = SampleSetCodec.read(Fixtures.evalSet());
    eval = new SampleSet(all.sampleShape(), Arrays.copyOf(all.inputs(), 20), Arrays.copyOf(all.labels(), 20));
  }

  @Test
  void shouldTimeEveryModelOperatorUnderItsBuiltinNameOnTheBuiltinKernels() {
    byte[] model = Fixtures.model(FixtureModel.FASHION_CNN);
    List<OpInfo> modelOps = TfliteModel.parse(model).ops();

    OpProfile p;
    try (OpProfiler profiler = new OpProfiler(Clock.systemUTC())) {
      p = profiler.profile("b-1", model, eval.inputs(), 1, ProfileKernels.BUILTIN, RUNS);
    }

    // no delegate: the execution plan is every model operator, each reported once per run in model order
    assertThat(p.executionSteps()).isEqualTo(modelOps.size());
    assertThat(p.ops()).hasSize(p.executionSteps());
    assertThat(p.ops()).extracting(OpTiming::op).containsExactlyElementsOf(modelOps.stream().map(OpInfo::name).toList());
    assertThat(p.ops()).extracting(OpTiming::opIndex).containsExactlyElementsOf(modelOps.stream().map(OpInfo::index).toList());
    assertPlausible(p);
    // the convolutions carry almost all multiply-accumulates of this model: they take the largest share
    OpTiming top = p.ops().stream().max(java.util.Comparator.comparingDouble(OpTiming::meanMicros)).orElseThrow();
    assertThat(top.op()).isEqualTo("CONV_2D");
    System.out.print(p.describe());
  }

  @Test
  void shouldReportTheXnnpackOperatorsWithTheirOwnTimingsOnTheServingKernels() {
    byte[] model = Fixtures.model(FixtureModel.FASHION_CNN);
    int modelOps = TfliteModel.parse(model).ops().size();
    int servingSteps;
    try (TfliteRunner runner = TfliteRunner.load(model, 1)) {
      servingSteps = runner.executionSteps();
    }

    OpProfile p;
    try (OpProfiler profiler = new OpProfiler(Clock.systemUTC())) {
      p = profiler.profile("b-1", model, eval.inputs(), 1, ProfileKernels.SERVING, RUNS);
    }

    // the same execution plan as the serving runner: XNNPACK replaced the operators by its delegate kernel(s)
    assertThat(p.executionSteps()).isEqualTo(servingSteps).isLessThan(modelOps);
    assertThat(p.ops()).isNotEmpty();
    assertThat(p.ops()).extracting(OpTiming::op).noneMatch(op -> op.matches("[A-Z0-9_]+"))
        .anyMatch(op -> op.startsWith("Convolution")).anyMatch(op -> op.startsWith("Fully Connected"));
    assertPlausible(p);
    System.out.print(p.describe());
  }

  @Test
  void shouldProfileAFullInt8BuildWithQuantizedInputs() {
    byte[] floatModel = Fixtures.model(FixtureModel.FASHION_CNN);
    SampleSet calibration = new SampleSet(eval.sampleShape(), eval.inputs(), null);
    byte[] int8 = Quantizer.quantize(floatModel, QuantizationMode.FULL_INT8_INT8_IO, calibration).tflite();

    try (OpProfiler profiler = new OpProfiler(Clock.systemUTC())) {
      OpProfile builtin = profiler.profile("b-8", int8, eval.inputs(), 1, ProfileKernels.BUILTIN, 5);
      OpProfile serving = profiler.profile("b-8", int8, eval.inputs(), 1, ProfileKernels.SERVING, 5);

      assertThat(builtin.ops()).extracting(OpTiming::op)
          .containsExactlyElementsOf(TfliteModel.parse(int8).ops().stream().map(OpInfo::name).toList());
      assertPlausible(builtin);
      // XNNPACK runs the int8 graph with its signed 8-bit operators (QS8 on, as served)
      assertThat(serving.ops()).extracting(OpTiming::op).anyMatch(op -> op.contains("QS8") || op.contains("QC8"));
      assertPlausible(serving);
    }
  }

  @Test
  void shouldRejectAModelTheRuntimeCannotRead() {
    try (OpProfiler profiler = new OpProfiler(Clock.systemUTC())) {
      assertThatThrownBy(() -> profiler.profile("b-x", new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, eval.inputs(), 1,
          ProfileKernels.SERVING, 3))
          .isInstanceOf(AgentException.class)
          .satisfies(e -> assertThat(((AgentException) e).code()).isEqualTo(AgentErrorCode.PROFILE_FAILED));
      // still usable afterwards
      assertThat(profiler.profile("b-1", Fixtures.model(FixtureModel.FASHION_MLP), eval.inputs(), 1,
          ProfileKernels.BUILTIN, 2).ops()).isNotEmpty();
    }
  }

  @Test
  void shouldSendTheProfileOnceInTheNextTelemetryBatchOfTheServedBuild() throws Exception {
    Path modelFile = dir.resolve("model.tflite");
    Files.write(modelFile, Fixtures.model(FixtureModel.FASHION_DSCNN));
    Path evalFile = dir.resolve("eval.efs");
    Files.write(evalFile, SampleSetCodec.write(eval));
    List<InferenceTelemetry> batches = new CopyOnWriteArrayList<>();
    ProfileSettings settings = new ProfileSettings(Duration.ofMillis(700), 5, ProfileKernels.SERVING);
    OpProfile last;
    try (ServingLoop loop = new ServingLoop("dev-p", "hc-1", 1, 2, new SequenceStore(dir.resolve("seq")), batches::add,
        Clock.systemUTC(), settings)) {
      loop.activate(ServingModel.load("build-p", "r-1", modelFile, evalFile, null, 1)).get();
      loop.start(Duration.ofMillis(5), Duration.ofMillis(250));

      await().atMost(Duration.ofSeconds(30)).until(() -> batches.stream().filter(b -> b.opProfile() != null).count() >= 2);
      last = loop.lastProfile();
      assertThat(loop.profileFailures()).isZero();
      assertThat(loop.profilesTaken()).isGreaterThanOrEqualTo(2);
    }

    List<InferenceTelemetry> profiled = batches.stream().filter(b -> b.opProfile() != null).toList();
    assertThat(batches.size()).as("most batches carry no profile").isGreaterThan(profiled.size());
    assertThat(profiled).allSatisfy(b -> {
      assertThat(b.buildKey()).isEqualTo("build-p");
      assertThat(b.opProfile()).isNotEmpty().allSatisfy(t -> assertThat(t.runs()).isEqualTo(5));
      assertThat(b.opProfile().stream().mapToDouble(OpTiming::share).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
    });
    assertThat(batches).anySatisfy(b -> assertThat(b.opProfile()).isEqualTo(last.ops()));
    // the profiled runs are not served inferences: every batch's histogram holds only the served ones
    assertThat(batches).allSatisfy(b -> assertThat(b.latency().count()).isEqualTo(b.labelledCount()));
  }

  /** Sane figures: positive, consistent shares, operators inside the measured whole inference. */
  private static void assertPlausible(OpProfile p) {
    assertThat(p.runs()).isPositive();
    assertThat(p.ops()).allSatisfy(t -> {
      assertThat(t.runs()).isEqualTo(p.runs());
      assertThat(t.meanMicros()).isGreaterThanOrEqualTo(0);
      assertThat(t.medianMicros()).isGreaterThanOrEqualTo(0);
    });
    assertThat(p.ops().stream().mapToDouble(OpTiming::share).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
    double ops = p.opMeanSumMicros();
    assertThat(ops).as("time inside operators").isPositive();
    // the operators run inside Invoke(): their sum cannot exceed the whole (1 us rounding per XNNPACK operator), and
    // on this model the operators are most of it (the rest: interpreter bookkeeping, profiler upcalls)
    assertThat(ops).isLessThanOrEqualTo(p.inferenceMeanMicros() + p.ops().size());
    assertThat(ops).isGreaterThan(p.inferenceMeanMicros() / 10);
  }
}
