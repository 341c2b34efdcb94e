package io.edgefleet.agent.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Footprint benchmark (not a timed test, off by default): runs {@link FootprintBenchmark} in fresh JVMs
 * ({@code -Xmx64m -XX:+UseSerialGC}, the device-sized setting) several times per inference interval and reports the
 * medians; writes them to {@code target/footprint.txt}.
 *
 * <pre>
 * ./mvnw -o -pl edge-agent test -Dtest=FootprintBenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dedgefleet.footprint=true [-Dedgefleet.footprint.seconds=15] [-Dedgefleet.footprint.runs=3]
 * </pre>
 */
@EnabledIfSystemProperty(named = "edgefleet.footprint", matches = "true")
class FootprintBenchmarkTest {
  private static final System.Logger LOG = System.getLogger(FootprintBenchmarkTest.class.getName());

  @Test
  void shouldMeasureAgentOverheadHeapAndRssOnTheFashionCnn() throws Exception {
    int seconds = Integer.getInteger("edgefleet.footprint.seconds", 15);
    int runs = Integer.getInteger("edgefleet.footprint.runs", 3);
    StringBuilder report = new StringBuilder();
    report.append(String.format(Locale.ROOT, "load average before: %s", Files.readString(Path.of("/proc/loadavg")).trim()));
    report.append(System.lineSeparator());
    for (String intervalMs : List.of("20", "2")) {
      List<Map<String, String>> results = new ArrayList<>();
      for (int r = 0; r < runs; r++) {
        results.add(runOnce(seconds, intervalMs));
      }
      report.append(String.format(Locale.ROOT,
          "interval %s ms, %d runs x %d s (medians): inferences/s=%.1f | CPU per inference: TFLite hot loop %.1f us,"
              + " TFLite paced %.1f us, bare paced loop process %.1f us, agent process %.1f us | CPU beyond TFLite as %% of"
              + " TFLite time: agent %.1f%%, bare runtime loop %.1f%% (goal for the agent <= 3%%) | agent vs bare loop %.1f%%"
              + " | process CPU %.2f%% of one core | heap used %.1f MB, live after GC %.1f MB (max %s MB)"
              + " | RSS %.1f MB, peak %.1f MB",
          intervalMs, runs, seconds, median(results, "inferences") / median(results, "seconds"),
          median(results, "hotTfliteCpuUs"), median(results, "pacedTfliteCpuUs"), median(results, "bareLoopProcessCpuUs"),
          median(results, "agentProcessCpuUs"), 100 * median(results, "overheadVsTflite"),
          100 * median(results, "bareOverheadVsTflite"), 100 * median(results, "overheadVsBareLoop"), median(results, "processCpuPercentOfOneCore"),
          median(results, "heapUsedMB"), median(results, "heapLiveAfterGcMB"), results.get(0).get("heapMaxMB"),
          median(results, "rssMB"), median(results, "rssPeakMB")));
      report.append(System.lineSeparator());
      for (Map<String, String> m : results) {
        report.append("  ").append(m).append(System.lineSeparator());
      }
    }
    report.append(String.format(Locale.ROOT, "load average after: %s%n", Files.readString(Path.of("/proc/loadavg")).trim()));
    Files.writeString(Path.of("target", "footprint.txt"), report, StandardCharsets.UTF_8);
    LOG.log(System.Logger.Level.INFO, "footprint:\n{0}", report);
  }

  private static Map<String, String> runOnce(int seconds, String intervalMs) throws Exception {
    List<String> command = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), FootprintBenchmark.class.getName(), String.valueOf(seconds), intervalMs);
    Path out = Files.createTempFile("footprint", ".log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertThat(p.waitFor(seconds + 120L, TimeUnit.SECONDS)).as("benchmark run finished").isTrue();
    String output = Files.readString(out);
    assertThat(p.exitValue()).as(output).isZero();
    String line = output.lines().filter(l -> l.startsWith("FOOTPRINT ")).findFirst().orElseThrow(() -> new AssertionError(output));
    Map<String, String> values = new LinkedHashMap<>();
    for (String kv : line.substring("FOOTPRINT ".length()).split(" ")) {
      String[] parts = kv.split("=", 2);
      values.put(parts[0], parts[1]);
    }
    assertThat(Long.parseLong(values.get("inferences"))).isPositive();
    return values;
  }

  private static double median(List<Map<String, String>> results, String key) {
    double[] v = results.stream().mapToDouble(m -> Double.parseDouble(m.get(key))).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
