package io.edgefleet.simulator.fleet;

import io.edgefleet.schemas.api.AcceleratorInfo;
import io.edgefleet.schemas.api.HardwareProfile;
import java.util.List;

/**
 * The hardware classes the simulator declares. Each is a plausible edge board profile (what the agent's
 * {@code HardwareIntrospector} would report on it: arch, CPU model, cores, RAM, kernel-relevant CPU flags, the declared
 * accelerator). None of this hardware is present: the profiles only steer the control plane's per-class planning.
 */
public enum SimulatedHardware {
  /** Raspberry Pi 4-class board: 4x Cortex-A72, 4 GiB, NEON, no accelerator. */
  ARM_A72_4GB("aarch64", "Cortex-A72", 4, 4L << 30, List.of("fp", "asimd", "evtstrm", "crc32", "cpuid"), AcceleratorInfo.none()),
  /** Jetson-class module: 6x Cortex-A78AE with an fp16 GPU delegate. */
  ARM_A78_GPU("aarch64", "Cortex-A78AE", 6, 8L << 30, List.of("fp", "asimd", "asimddp", "asimdhp", "fphp", "i8mm"),
      new AcceleratorInfo("gpu", List.of("FLOAT16", "FLOAT32"))),
  /** Cortex-A55 gateway with an int8-only NPU. */
  ARM_A55_NPU("aarch64", "Cortex-A55", 4, 2L << 30, List.of("fp", "asimd", "asimddp", "asimdhp", "fphp"),
      new AcceleratorInfo("npu", List.of("INT8"))),
  /** x86 industrial PC: 8 cores, AVX2/FMA, no accelerator. */
  X86_AVX2_8C("amd64", "Intel(R) Core(TM) i7-8700T CPU @ 2.40GHz", 8, 16L << 30,
      List.of("sse4_1", "sse4_2", "avx", "avx2", "fma", "f16c"), AcceleratorInfo.none());

  /** Storage the simulated devices report as free. */
  private static final long STORAGE_FREE_BYTES = 12L << 30;

  private final String arch;
  private final String cpuModel;
  private final int cores;
  private final long ramBytes;
  private final List<String> cpuFeatures;
  private final AcceleratorInfo accelerator;

  SimulatedHardware(String arch, String cpuModel, int cores, long ramBytes, List<String> cpuFeatures, AcceleratorInfo accelerator) {
    this.arch = arch;
    this.cpuModel = cpuModel;
    this.cores = cores;
    this.ramBytes = ramBytes;
    this.cpuFeatures = cpuFeatures;
    this.accelerator = accelerator;
  }

  /** The profile sent in the registration. */
  public HardwareProfile profile(String runtimeVersion) {
    return new HardwareProfile(arch, cpuModel, cores, ramBytes, STORAGE_FREE_BYTES, cpuFeatures, accelerator,
        "Linux 6.1 (simulated)", runtimeVersion);
  }

  /** The class of the {@code index}-th device of a fleet spread over {@code classes} hardware classes. */
  public static SimulatedHardware forDevice(int index, int classes) {
    SimulatedHardware[] all = values();
    return all[index % Math.max(1, Math.min(classes, all.length))];
  }
}
