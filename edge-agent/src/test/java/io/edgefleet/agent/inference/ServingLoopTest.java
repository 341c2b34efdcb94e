package io.edgefleet.agent.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgefleet.agent.telemetry.SequenceStore;
import io.edgefleet.agent.testing.TinyModels;
import io.edgefleet.quantization.samples.SampleSet;
import io.edgefleet.schemas.events.InferenceTelemetry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServingLoopTest {
  @TempDir Path dir;

  private ServingModel model(String buildKey, long seed, boolean agreeingReference) throws IOException {
    byte[] model = TinyModels.classifier(seed);
    SampleSet eval = TinyModels.evalSet(model, 16, seed + 100);
    Path m = dir.resolve(buildKey + ".tflite");
    Path e = dir.resolve(buildKey + ".eval.efs");
    Path r = dir.resolve(buildKey + ".ref.efs");
    Files.write(m, model);
    Files.write(e, TinyModels.efs(eval));
    Files.write(r, agreeingReference ? TinyModels.referenceEfs(model, eval) : TinyModels.disagreeingReferenceEfs(model, eval));
    return ServingModel.load(buildKey, "rollout-1", m, e, r, 1);
  }

  @Test
  void shouldEmitTelemetryBatchesWithLatencyHistogramAndAccuracyCounts() throws Exception {
    List<InferenceTelemetry> batches = new CopyOnWriteArrayList<>();
    SequenceStore sequences = new SequenceStore(dir.resolve("seq"));
    try (ServingLoop loop = new ServingLoop("dev-1", "hc-1", 1, 3, sequences, batches::add, Clock.systemUTC())) {
      loop.activate(model("build-1", 1, true)).get();
      loop.start(Duration.ofMillis(1), Duration.ofMillis(200));

      await().atMost(Duration.ofSeconds(20)).until(() -> batches.size() >= 3);

      loop.activate(model("build-2", 2, false)).get();
      await().atMost(Duration.ofSeconds(20)).until(() -> batches.stream().anyMatch(b -> b.buildKey().equals("build-2")));
    }

    assertThat(batches).extracting(InferenceTelemetry::sequence).isSorted().doesNotHaveDuplicates();
    assertThat(batches.get(0).sequence()).isEqualTo(1);
    InferenceTelemetry first = batches.get(0);
    assertThat(first.deviceId()).isEqualTo("dev-1");
    assertThat(first.hardwareClass()).isEqualTo("hc-1");
    assertThat(first.rolloutId()).isEqualTo("rollout-1");
    assertThat(first.threads()).isEqualTo(1);
    assertThat(first.windowEnd()).isAfterOrEqualTo(first.windowStart());
    for (InferenceTelemetry b : batches) {
      assertThat(b.errorCount()).isZero();
      assertThat(b.latency().count()).isEqualTo(b.referenceCount()).isEqualTo(b.labelledCount());
      assertThat(b.latency().p50Micros()).isLessThanOrEqualTo(b.latency().p95Micros());
      assertThat(b.latency().p99Micros()).isLessThanOrEqualTo(b.latency().maxMicros());
      Histogram h = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(b.latency().histogram())), 0);
      assertThat(h.getTotalCount()).isEqualTo(b.latency().count());
      if (b.buildKey().equals("build-1")) {
        assertThat(b.correctCount()).isEqualTo(b.labelledCount());
        assertThat(b.agreementCount()).isEqualTo(b.referenceCount());
      } else {
        assertThat(b.agreementCount()).isZero();
      }
    }
    assertThat(batches).extracting(InferenceTelemetry::buildKey).contains("build-1", "build-2");
    assertThat(sequences.last()).isEqualTo(batches.get(batches.size() - 1).sequence());
    assertThat(new SequenceStore(dir.resolve("seq")).last()).as("sequence survives restarts").isEqualTo(sequences.last());
  }
}
