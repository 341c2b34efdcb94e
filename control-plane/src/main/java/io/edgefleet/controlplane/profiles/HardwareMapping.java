package io.edgefleet.controlplane.profiles;

import io.edgefleet.controlplane.errors.ControlPlaneException;
import io.edgefleet.controlplane.errors.ErrorCode;
import io.edgefleet.planner.Precision;
import io.edgefleet.planner.hardware.HardwareCapabilities;
import io.edgefleet.schemas.api.HardwareProfile;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Maps the hardware devices register ({@link HardwareProfile}) to the planner's {@link HardwareCapabilities}. A class
 * shares one build, so RAM, storage and cores are the smallest among the class's devices.
 */
public final class HardwareMapping {
  /** Accelerator type names devices may declare, mapped to the planner's types. */
  private static final Map<String, String> ACCELERATOR_TYPES = Map.of(
      "none", HardwareCapabilities.NONE, "", HardwareCapabilities.NONE, "cpu", HardwareCapabilities.NONE,
      "npu", HardwareCapabilities.NPU, "gpu", HardwareCapabilities.GPU,
      "edgetpu", HardwareCapabilities.EDGETPU, "edge-tpu", HardwareCapabilities.EDGETPU,
      "tpu", HardwareCapabilities.EDGETPU);

  /** Accelerator precision names as devices declare them (upper case), mapped to planner precisions. */
  private static final Map<String, Precision> PRECISIONS = Map.ofEntries(
      Map.entry("INT8", Precision.INT8), Map.entry("UINT8", Precision.INT8),
      Map.entry("FLOAT16", Precision.FLOAT16), Map.entry("FP16", Precision.FLOAT16),
      Map.entry("FLOAT32", Precision.FLOAT32), Map.entry("FP32", Precision.FLOAT32),
      Map.entry("INT16", Precision.INT16X8), Map.entry("INT16X8", Precision.INT16X8),
      Map.entry("INT4", Precision.INT4_WEIGHTS), Map.entry("INT4-WEIGHTS", Precision.INT4_WEIGHTS),
      Map.entry("DYNAMIC-INT8", Precision.DYNAMIC_INT8));

  private HardwareMapping() {}

  /**
   * @throws ControlPlaneException {@code hardware-class.unsupported} for an accelerator type the planner has no rule
   *     for, or precisions it does not know
   */
  public static HardwareCapabilities capabilities(String hardwareClass, List<HardwareProfile> devices) {
    if (devices.isEmpty()) {
      throw ControlPlaneException.notFound(ErrorCode.HARDWARE_CLASS_NOT_FOUND, "hardware class", hardwareClass);
    }
    HardwareProfile first = devices.get(0);
    long ram = Long.MAX_VALUE;
    long storage = Long.MAX_VALUE;
    int cores = Integer.MAX_VALUE;
    for (HardwareProfile hw : devices) {
      ram = Math.min(ram, Math.max(0, hw.ramBytes()));
      storage = Math.min(storage, Math.max(0, hw.storageFreeBytes()));
      cores = Math.min(cores, hw.cores());
    }
    String declaredType = first.accelerator().type().trim().toLowerCase(Locale.ROOT);
    String type = ACCELERATOR_TYPES.get(declaredType);
    if (type == null) {
      throw new ControlPlaneException(ErrorCode.HARDWARE_UNSUPPORTED, "hardware class " + hardwareClass
          + " declares accelerator '" + first.accelerator().type() + "'; the planner knows "
          + new TreeSet<>(ACCELERATOR_TYPES.keySet()));
    }
    Set<Precision> precisions = EnumSet.noneOf(Precision.class);
    for (String declared : first.accelerator().precisions()) {
      Precision p = PRECISIONS.get(declared.trim().toUpperCase(Locale.ROOT));
      if (p == null) {
        throw new ControlPlaneException(ErrorCode.HARDWARE_UNSUPPORTED, "hardware class " + hardwareClass
            + " declares accelerator precision '" + declared + "'; known: " + new TreeSet<>(PRECISIONS.keySet()));
      }
      precisions.add(p);
    }
    Set<String> features = new TreeSet<>();
    first.cpuFeatures().forEach(f -> features.add(f.toLowerCase(Locale.ROOT)));
    return new HardwareCapabilities(first.arch(), features, Math.max(1, cores), ram, storage, type, precisions);
  }
}
