package io.edgefleet.agent.bench;

import com.sun.management.OperatingSystemMXBean;
import io.edgefleet.agent.inference.ServingLoop;
import io.edgefleet.agent.inference.ServingModel;
import io.edgefleet.agent.telemetry.EventPublisher;
import io.edgefleet.agent.telemetry.SequenceStore;
import io.edgefleet.agent.telemetry.SpoolRecord;
import io.edgefleet.agent.telemetry.TelemetrySpool;
import io.edgefleet.fixtures.FixtureModel;
import io.edgefleet.fixtures.Fixtures;
import io.edgefleet.quantization.runtime.TfliteRunner;
import io.edgefleet.quantization.samples.SampleSet;
import io.edgefleet.quantization.samples.SampleSetCodec;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.schemas.events.InferenceTelemetry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One footprint measurement of the agent's serving path, meant to run in a fresh JVM (see
 * {@link FootprintBenchmarkTest}): the Fashion-MNIST CNN fixture served by the real {@link ServingLoop} (HdrHistogram
 * timing, accuracy / agreement counting, telemetry batches encoded with the {@link EventCodec} and appended, fsynced,
 * to the real {@link TelemetrySpool}; Kafka delivery is not part of it).
 *
 * <p>Three CPU figures per inference, all from CPU time (not wall time, so other load on the machine matters less):
 * the TFLite interpreter in a hot loop (best case, warm caches); the interpreter calls of a bare loop paced at the same
 * interval (thread CPU around each call: what the model really costs at that pace); the whole process of that bare
 * paced loop; and the whole process while the agent's serving loop runs. {@code overheadVsTflite} = agent process CPU /
 * paced interpreter CPU − 1 (everything besides the interpreter: scheduling wake-ups, timing, histogram, counting,
 * telemetry encoding and spooling, JIT, GC); {@code overheadVsBareLoop} = agent process CPU / bare paced loop process CPU
 * − 1 (what the agent adds over the simplest paced Java caller); {@code bareOverheadVsTflite} = bare paced loop process
 * CPU / paced interpreter CPU − 1, the baseline printed beside the agent's figure: what any paced JVM caller of the bare
 * runtime pays beyond the interpreter (wake-ups, JIT, GC), so {@code overheadVsTflite − bareOverheadVsTflite} is the
 * share of inference time that the agent's own work costs. Prints one line {@code key=value ...}.
 *
 * <p>Arguments: {@code <seconds> <inference interval in ms>}.
 */
public final class FootprintBenchmark {
  private FootprintBenchmark() {}

  public static void main(String[] args) throws Exception {
    Duration measure = Duration.ofSeconds(Long.parseLong(args[0]));
    Duration interval = Duration.ofMillis(Long.parseLong(args[1]));
    Path work = Files.createTempDirectory("edge-agent-footprint");
    byte[] modelBytes = Fixtures.model(FixtureModel.FASHION_CNN);
    SampleSet eval = SampleSetCodec.read(Fixtures.evalSet());
    eval = eval.slice(0, 500);
    float[][] reference;
    try (TfliteRunner runner = TfliteRunner.load(modelBytes, 1)) {
      reference = runner.inferAll(eval);
    }
    Path model = Files.write(work.resolve("model.tflite"), modelBytes);
    Path evalFile = Files.write(work.resolve("eval.efs"), SampleSetCodec.write(eval));
    Path refFile =
        Files.write(work.resolve("ref.efs"), SampleSetCodec.write(new SampleSet(new int[] {reference[0].length}, reference, null)));
    reference = null;

    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    // 1. hot loop: TFLite CPU per inference with warm caches (best case)
    long hotCpuPerInference;
    // 2. bare paced loop: the same model at the same pace on a scheduled thread, CPU of the interpreter calls only
    //    (thread CPU time around each call) and the CPU of the whole process (what any paced Java caller pays)
    long pacedTfliteCpu;
    long pacedProcessCpu;
    long pacedCount;
    try (TfliteRunner runner = TfliteRunner.load(modelBytes, 1)) {
      float[][] inputs = eval.inputs();
      for (int i = 0; i < 300; i++) {
        runner.infer(inputs[i % inputs.length]);
      }
      int n = 2000;
      long c0 = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < n; i++) {
        runner.infer(inputs[i % inputs.length]);
      }
      hotCpuPerInference = (threads.getCurrentThreadCpuTime() - c0) / n;

      java.util.concurrent.ScheduledExecutorService pacer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
      java.util.concurrent.atomic.AtomicLong calls = new java.util.concurrent.atomic.AtomicLong();
      java.util.concurrent.atomic.AtomicLong callCpu = new java.util.concurrent.atomic.AtomicLong();
      pacer.scheduleWithFixedDelay(() -> {
        long t = threads.getCurrentThreadCpuTime();
        runner.infer(inputs[(int) (calls.get() % inputs.length)]);
        callCpu.addAndGet(threads.getCurrentThreadCpuTime() - t);
        calls.incrementAndGet();
      }, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
      LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(3));
      long k0 = calls.get();
      long cc0 = callCpu.get();
      long p0 = os.getProcessCpuTime();
      LockSupport.parkNanos(measure.toNanos());
      pacedProcessCpu = os.getProcessCpuTime() - p0;
      pacedTfliteCpu = callCpu.get() - cc0;
      pacedCount = calls.get() - k0;
      pacer.shutdown();
      pacer.awaitTermination(10, TimeUnit.SECONDS);
    }
    modelBytes = null;
    eval = null;

    EventCodec codec = new EventCodec();
    long spoolMax = Long.parseLong(io.edgefleet.agent.config.ConfigKey.SPOOL_MAX_BYTES.defaultValue());
    try (TelemetrySpool spool = new TelemetrySpool(work.resolve("spool"), spoolMax);
        ServingLoop loop =
            new ServingLoop(
                "bench-device", "hc-bench", 1, 5, new SequenceStore(work.resolve("telemetry.sequence")),
                (InferenceTelemetry t) ->
                    spool.append(new SpoolRecord(EventPublisher.topicOf(t), t.deviceId(), codec.encode(t, "edge-agent/bench"))),
                Clock.systemUTC())) {
      loop.activate(ServingModel.load("bench-build", "bench-rollout", model, evalFile, refFile, 1)).get(30, TimeUnit.SECONDS);
      loop.start(interval, Duration.ofSeconds(5));
      LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(5)); // warm-up: JIT, first telemetry batch
      long cpu0 = os.getProcessCpuTime();
      long n0 = loop.totalInferences() + loop.totalErrors();
      long t0 = System.nanoTime();
      LockSupport.parkNanos(measure.toNanos());
      long cpu = os.getProcessCpuTime() - cpu0;
      long n = loop.totalInferences() + loop.totalErrors() - n0;
      long wall = System.nanoTime() - t0;
      Runtime rt = Runtime.getRuntime();
      long heapUsed = rt.totalMemory() - rt.freeMemory();
      System.gc();
      long heapLive = rt.totalMemory() - rt.freeMemory();
      double tflitePerInference = (double) pacedTfliteCpu / pacedCount;
      double agentPerInference = (double) cpu / n;
      double barePerInference = (double) pacedProcessCpu / pacedCount;
      System.out.println(String.format(
          Locale.ROOT,
          "FOOTPRINT intervalMs=%s seconds=%.1f inferences=%d hotTfliteCpuUs=%.1f pacedTfliteCpuUs=%.1f"
              + " bareLoopProcessCpuUs=%.1f agentProcessCpuUs=%.1f overheadVsTflite=%.4f bareOverheadVsTflite=%.4f"
              + " overheadVsBareLoop=%.4f"
              + " processCpuPercentOfOneCore=%.2f heapUsedMB=%.1f heapLiveAfterGcMB=%.1f heapMaxMB=%.0f"
              + " rssMB=%.1f rssPeakMB=%.1f batches=%d",
          args[1], wall / 1e9, n, hotCpuPerInference / 1e3, tflitePerInference / 1e3, barePerInference / 1e3,
          agentPerInference / 1e3, agentPerInference / tflitePerInference - 1, barePerInference / tflitePerInference - 1,
          agentPerInference / barePerInference - 1,
          100.0 * cpu / wall, heapUsed / 1048576.0, heapLive / 1048576.0, rt.maxMemory() / 1048576.0,
          status("VmRSS") / 1024.0, status("VmHWM") / 1024.0, loop.batchesEmitted()));
    }
  }

  /** A {@code /proc/self/status} field in kB. */
  static long status(String field) throws java.io.IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
      }
    }
    throw new IllegalStateException(field + " not in /proc/self/status");
  }

}
