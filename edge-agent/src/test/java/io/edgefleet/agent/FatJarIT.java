package io.edgefleet.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefleet.fixtures.FixtureModel;
import io.edgefleet.fixtures.Fixtures;
import io.edgefleet.quantization.model.OpInfo;
import io.edgefleet.quantization.model.TfliteModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The single runnable jar {@code target/edge-agent-all.jar} (built in {@code package}): it starts with
 * {@code java -jar}, carries the natives of both Linux targets and loads the TFLite runtime from itself (the
 * per-operator profile of a fixture model through the runtime's profiler). The whole agent running from it is covered by
 * {@link AgentProcessFaultIT}.
 */
class FatJarIT {
  private static final Path JAR = Path.of("target", "edge-agent-all.jar").toAbsolutePath();

  @TempDir Path dir;

  @Test
  void shouldCarryTheNativeRuntimeOfBothLinuxTargetsAndAManifestMainClass() throws IOException {
    assertThat(JAR).as("run `mvn package` first").exists();
    try (ZipFile zip = new ZipFile(JAR.toFile())) {
      for (String platform : List.of("linux-x86_64", "linux-arm64")) {
        assertThat(zip.getEntry("org/bytedeco/tensorflowlite/" + platform + "/libjnitensorflowlite.so")).as(platform).isNotNull();
        assertThat(zip.getEntry("org/bytedeco/javacpp/" + platform + "/libjnijavacpp.so")).as(platform).isNotNull();
      }
      String manifest = new String(zip.getInputStream(zip.getEntry("META-INF/MANIFEST.MF")).readAllBytes(), StandardCharsets.UTF_8);
      assertThat(manifest).contains("Main-Class: io.edgefleet.agent.AgentMain", "Implementation-Version: ");
    }
    Run help = run("--help");
    assertThat(help.status).isZero();
    assertThat(help.output).contains("usage: AgentMain", "profile.interval", "kafka.bootstrap-servers");
  }

  @Test
  void shouldLoadTheTfliteRuntimeFromTheJarAndProfileAFixtureModel() throws IOException {
    byte[] model = Fixtures.model(FixtureModel.FASHION_CNN);
    Path file = dir.resolve("fashion_cnn.tflite");
    Files.write(file, model);

    Run builtin = run("--profile", file.toString(), "--kernels", "builtin", "--runs", "5");
    Run serving = run("--profile", file.toString(), "--runs", "5");

    assertThat(builtin.status).as(builtin.output).isZero();
    assertThat(builtin.output).contains("TFLite tflite-2.19.0", "builtin kernels, 5 runs");
    // every model operator, in order, under its builtin name
    List<String> rows = builtin.output.lines().filter(l -> l.startsWith("  #")).toList();
    List<OpInfo> ops = TfliteModel.parse(model).ops();
    assertThat(rows).hasSize(ops.size());
    for (int i = 0; i < ops.size(); i++) {
      assertThat(rows.get(i)).startsWith(String.format("  #%-3d %s ", ops.get(i).index(), ops.get(i).name()));
    }
    assertThat(serving.status).as(serving.output).isZero();
    assertThat(serving.output).contains("serving kernels, 5 runs, 1 execution steps", "Convolution (NHWC, F32)");
  }

  private record Run(int status, String output) {}

  private Run run(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "-jar", JAR.toString()));
    command.addAll(List.of(args));
    Path log = Files.createTempFile(dir, "run", ".log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("finished").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      p.destroyForcibly();
    }
    return new Run(p.exitValue(), Files.readString(log));
  }
}
