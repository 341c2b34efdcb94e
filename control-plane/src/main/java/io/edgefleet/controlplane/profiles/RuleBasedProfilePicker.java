package io.edgefleet.controlplane.profiles;

import io.edgefleet.schemas.api.AcceleratorInfo;
import io.edgefleet.schemas.api.HardwareProfile;
import io.edgefleet.schemas.events.BuildKeys;
import io.edgefleet.schemas.events.QuantizationPlan;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The skeleton's profile rule:
 *
 * <ul>
 *   <li>an accelerator that accepts only integer precisions (e.g. an int8 NPU / Edge TPU) gets {@code FULL_INT8};
 *   <li>an accelerator that accepts {@code FLOAT16} (e.g. a GPU delegate) gets {@code FLOAT16};
 *   <li>otherwise (CPU) {@code FULL_INT8} when every operator of the model has an int8 kernel, else {@code FLOAT16}.
 * </ul>
 *
 * The plan hash is the sha256 of the canonical text {@code mode=<MODE>} (uniform plans have no per-layer entries).
 */
@ApplicationScoped
public class RuleBasedProfilePicker implements ProfilePicker {
  public static final String FULL_INT8 = "FULL_INT8";
  public static final String FLOAT16 = "FLOAT16";

  /** Builtin operators with TFLite int8 reference/XNNPACK kernels (the quantizer's full-int8 op coverage). */
  public static final Set<String> INT8_OPS =
      Set.of(
          "CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "ADD", "MUL", "AVERAGE_POOL_2D", "MAX_POOL_2D", "MEAN",
          "RESHAPE", "CONCATENATION", "PAD", "SOFTMAX", "LOGISTIC", "TANH", "RELU", "RELU6", "HARD_SWISH",
          "QUANTIZE", "DEQUANTIZE");

  private static final Set<String> INTEGER_PRECISIONS = Set.of("INT8", "UINT8", "INT16", "INT4");

  @Override
  public QuantizationPlan pick(HardwareProfile hardware, Set<String> modelOps) {
    AcceleratorInfo acc = hardware.accelerator();
    Set<String> precisions = new TreeSet<>();
    for (String p : acc.precisions()) {
      precisions.add(p.toUpperCase(Locale.ROOT));
    }
    if (acc.present() && !precisions.isEmpty() && INTEGER_PRECISIONS.containsAll(precisions)) {
      return plan(FULL_INT8, "accelerator '" + acc.type() + "' accepts only " + precisions
          + ": full-integer int8 so every operator can run on it");
    }
    if (acc.present() && precisions.contains("FLOAT16")) {
      return plan(FLOAT16, "accelerator '" + acc.type() + "' accepts FLOAT16: float16 weights for its fp16 kernels");
    }
    Set<String> missing = new TreeSet<>(modelOps);
    missing.removeAll(INT8_OPS);
    if (missing.isEmpty()) {
      return plan(FULL_INT8, "CPU (" + hardware.arch() + ", " + hardware.cores()
          + " cores): all operators of the model have int8 kernels");
    }
    return plan(FLOAT16, "CPU (" + hardware.arch() + "): operators " + List.copyOf(missing)
        + " have no int8 kernel, float16 weights instead");
  }

  /** A uniform plan with its content hash. */
  public static QuantizationPlan plan(String mode, String rationale) {
    String canonical = "mode=" + mode;
    return new QuantizationPlan(mode, Map.of(), BuildKeys.sha256Hex(canonical.getBytes(StandardCharsets.UTF_8)),
        rationale);
  }
}
