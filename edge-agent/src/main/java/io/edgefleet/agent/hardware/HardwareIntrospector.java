package io.edgefleet.agent.hardware;

import io.edgefleet.agent.AgentErrorCode;
import io.edgefleet.agent.AgentException;
import io.edgefleet.schemas.api.AcceleratorInfo;
import io.edgefleet.schemas.api.HardwareProfile;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tensorflowlite.global.tensorflowlite;

/**
 * Describes the real host: {@code /proc/cpuinfo} flags and model, {@code /proc/meminfo} total, logical cores, JVM
 * architecture, free space of the data directory, the TFLite runtime version, and the accelerator declared in the
 * configuration (a Linux host cannot reliably enumerate NPUs, so the device owner declares them).
 */
public final class HardwareIntrospector {
  private final Path procDir;

  /** Introspects {@code /proc}. */
  public HardwareIntrospector() {
    this(Path.of("/proc"));
  }

  /** Introspects another proc-like directory holding {@code cpuinfo} and {@code meminfo} (tests). */
  public HardwareIntrospector(Path procDir) {
    this.procDir = procDir;
  }

  /**
   * @param storageDir directory whose file system's free space is reported (created if missing)
   * @param accelerator the declared accelerator
   */
  public HardwareProfile introspect(Path storageDir, AcceleratorInfo accelerator) {
    CpuInfo cpu = CpuInfo.parse(read("cpuinfo"));
    long ram = MemInfo.totalBytes(read("meminfo"));
    long free;
    try {
      Files.createDirectories(storageDir);
      free = Files.getFileStore(storageDir).getUsableSpace();
    } catch (IOException e) {
      throw new AgentException(
          AgentErrorCode.HARDWARE_INTROSPECTION_FAILED, "cannot measure free space of " + storageDir + ": " + e, e);
    }
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return new HardwareProfile(
        System.getProperty("os.arch"),
        cpu.modelName(),
        Runtime.getRuntime().availableProcessors(),
        ram,
        free,
        cpu.features(),
        accelerator,
        os.getName() + " " + os.getVersion(),
        runtimeVersion());
  }

  /** {@code tflite-<version>} of the native TFLite runtime the agent runs. */
  public static String runtimeVersion() {
    BytePointer v = tensorflowlite.TfLiteVersion();
    return "tflite-" + v.getString();
  }

  private String read(String name) {
    Path file = procDir.resolve(name);
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AgentException(AgentErrorCode.HARDWARE_INTROSPECTION_FAILED, "cannot read " + file + ": " + e, e);
    }
  }
}
