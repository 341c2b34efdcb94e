package io.edgefleet.agent.hardware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefleet.agent.AgentErrorCode;
import io.edgefleet.agent.AgentException;
import io.edgefleet.schemas.api.AcceleratorInfo;
import io.edgefleet.schemas.api.HardwareClass;
import io.edgefleet.schemas.api.HardwareProfile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HardwareIntrospectorTest {

  @Test
  void shouldParseX86CpuinfoFlagsAndModelName() throws IOException {
    CpuInfo cpu = CpuInfo.parse(resource("x86_64.txt"));

    assertThat(cpu.modelName()).isEqualTo("Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz");
    assertThat(cpu.processors()).isEqualTo(2);
    assertThat(cpu.features()).contains("avx2", "fma", "avx512f", "avx512_vnni", "sse4_2").doesNotHaveDuplicates();
    assertThat(cpu.features()).first().isEqualTo("fpu");
  }

  @Test
  void shouldParseArm64CpuinfoFeaturesAndBoardModel() throws IOException {
    CpuInfo cpu = CpuInfo.parse(resource("arm64.txt"));

    assertThat(cpu.modelName()).isEqualTo("Radxa ROCK 5B");
    assertThat(cpu.processors()).isEqualTo(3);
    assertThat(cpu.features()).containsExactly(
        "fp", "asimd", "evtstrm", "aes", "pmull", "sha1", "sha2", "crc32", "atomics", "fphp", "asimdhp", "cpuid",
        "asimdrdm", "lrcpc", "dcpop", "asimddp");
  }

  @Test
  void shouldNameArmCpuByImplementerAndPartWithoutBoardModel() {
    CpuInfo cpu = CpuInfo.parse("processor\t: 0\nFeatures\t: fp asimd\nCPU implementer\t: 0x41\nCPU part\t: 0xd08\n");

    assertThat(cpu.modelName()).isEqualTo("Arm implementer 0x41 part 0xd08");
    assertThat(cpu.features()).containsExactly("fp", "asimd");
  }

  @Test
  void shouldParseMemTotalInKilobytes() throws IOException {
    assertThat(MemInfo.totalBytes(resource("meminfo.txt"))).isEqualTo(8029660L * 1024);
  }

  @Test
  void shouldRejectMeminfoWithoutMemTotal() {
    assertThatThrownBy(() -> MemInfo.totalBytes("MemFree: 12 kB\n"))
        .isInstanceOf(AgentException.class)
        .extracting(e -> ((AgentException) e).code())
        .isEqualTo(AgentErrorCode.HARDWARE_INTROSPECTION_FAILED);
  }

  @Test
  void shouldDescribeTheRealHostWithTheDeclaredAccelerator(@TempDir Path dir) {
    HardwareProfile hw = new HardwareIntrospector().introspect(dir.resolve("data"), new AcceleratorInfo("npu", List.of("INT8")));

    assertThat(hw.arch()).isEqualTo(System.getProperty("os.arch"));
    assertThat(hw.cores()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(hw.ramBytes()).isGreaterThan(64L << 20);
    assertThat(hw.storageFreeBytes()).isPositive();
    assertThat(hw.runtimeVersion()).startsWith("tflite-2.");
    assertThat(hw.os()).startsWith("Linux");
    assertThat(hw.accelerator().type()).isEqualTo("npu");
    assertThat(hw.accelerator().precisions()).containsExactly("INT8");
    assertThat(HardwareClass.of(hw)).startsWith("hc-");
  }

  @Test
  void shouldReadProcFilesFromTheGivenDirectory(@TempDir Path proc) throws IOException {
    Files.writeString(proc.resolve("cpuinfo"), resource("arm64.txt"));
    Files.writeString(proc.resolve("meminfo"), resource("meminfo.txt"));

    HardwareProfile hw = new HardwareIntrospector(proc).introspect(proc.resolve("data"), AcceleratorInfo.none());

    assertThat(hw.cpuModel()).isEqualTo("Radxa ROCK 5B");
    assertThat(hw.cpuFeatures()).contains("asimddp");
    assertThat(hw.ramBytes()).isEqualTo(8029660L * 1024);
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = HardwareIntrospectorTest.class.getResourceAsStream("/cpuinfo/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
