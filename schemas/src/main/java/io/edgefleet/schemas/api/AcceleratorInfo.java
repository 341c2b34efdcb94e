package io.edgefleet.schemas.api;

import java.util.List;
import java.util.Objects;

/**
 * An accelerator declared by the device's configuration.
 *
 * @param type {@code none}, {@code npu}, {@code edgetpu}, {@code gpu}, {@code dsp}
 * @param precisions precisions its kernels accept, e.g. {@code ["INT8"]} for an int8-only NPU, {@code ["FLOAT16",
 *     "FLOAT32"]} for a GPU delegate
 */
public record AcceleratorInfo(String type, List<String> precisions) {

  public AcceleratorInfo {
    Objects.requireNonNull(type, "type");
    precisions = precisions == null ? List.of() : List.copyOf(precisions);
  }

  public static AcceleratorInfo none() {
    return new AcceleratorInfo("none", List.of());
  }

  public boolean present() {
    return !"none".equals(type);
  }
}
