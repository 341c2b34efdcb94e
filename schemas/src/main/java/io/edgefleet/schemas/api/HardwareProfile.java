package io.edgefleet.schemas.api;

import java.util.List;
import java.util.Objects;

/**
 * What a device reports about itself.
 *
 * @param arch CPU architecture as the JVM names it ({@code amd64}, {@code aarch64}, ...)
 * @param cpuModel model name from the OS, may be empty
 * @param cores logical cores
 * @param ramBytes total memory
 * @param storageFreeBytes free space where models are installed
 * @param cpuFeatures CPU feature flags (e.g. {@code avx2}, {@code avx512_vnni}, {@code asimddp})
 * @param accelerator declared accelerator, {@link AcceleratorInfo#none()} when there is none
 * @param os operating system name and version
 * @param runtimeVersion TFLite runtime version the agent runs
 */
public record HardwareProfile(
    String arch,
    String cpuModel,
    int cores,
    long ramBytes,
    long storageFreeBytes,
    List<String> cpuFeatures,
    AcceleratorInfo accelerator,
    String os,
    String runtimeVersion) {

  public HardwareProfile {
    Objects.requireNonNull(arch, "arch");
    cpuFeatures = cpuFeatures == null ? List.of() : List.copyOf(cpuFeatures);
    accelerator = accelerator == null ? AcceleratorInfo.none() : accelerator;
  }
}
