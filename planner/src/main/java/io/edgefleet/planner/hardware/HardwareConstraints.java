package io.edgefleet.planner.hardware;

import io.edgefleet.planner.PlannerErrorCode;
import io.edgefleet.planner.PlannerException;
import io.edgefleet.planner.Precision;
import java.util.EnumSet;
import java.util.Set;

/**
 * Maps hardware capabilities to planning constraints. The rules are deliberately few and explicit:
 *
 * <ul>
 *   <li><b>edgetpu</b>: full-integer int8 only → {INT8} (the delegate rejects anything else).</li>
 *   <li><b>npu</b>: the declared accelerator precisions, or {INT8} if none are declared (int8-only NPU class).</li>
 *   <li><b>gpu</b>: the declared precisions, or {FLOAT16, FLOAT32} (fp16 GPU delegate) if none are declared.</li>
 *   <li><b>none</b> (CPU): every precision if the CPU has int8 dot-product instructions
 *       ({@link #INT8_DOT_PRODUCT_FEATURES}); otherwise every precision but INT4_WEIGHTS, whose 4-bit unpacking only
 *       pays off with dot-product kernels.</li>
 * </ul>
 * Accelerated devices must run the whole model on the accelerator, so the accelerator's set applies to every layer.
 * The size budget is {@code min(storageFraction × free storage, ramFraction × free RAM)} ({@link HardwarePolicy}).
 */
public final class HardwareConstraints {

    /** CPU flags (as Linux reports them, lower case) that indicate int8 dot-product instructions. */
    public static final Set<String> INT8_DOT_PRODUCT_FEATURES = Set.of(
            "asimddp", "dotprod", "i8mm", "avx512_vnni", "avx512vnni", "avx_vnni", "avxvnni", "amx_int8");

    private HardwareConstraints() {
    }

    public static HardwareBudget derive(HardwareCapabilities capabilities) {
        return derive(capabilities, HardwarePolicy.defaults());
    }

    public static HardwareBudget derive(HardwareCapabilities capabilities, HardwarePolicy policy) {
        StringBuilder rationale = new StringBuilder();
        EnumSet<Precision> allowed = allowedPrecisions(capabilities, rationale);
        long storageBudget = (long) Math.floor(capabilities.storageBytes() * policy.storageFraction());
        long ramBudget = (long) Math.floor(capabilities.ramBytes() * policy.ramFraction());
        long maxBytes = Math.min(storageBudget, ramBudget);
        rationale.append("; size budget ").append(maxBytes).append(" B = min(").append(policy.storageFraction())
                .append(" × ").append(capabilities.storageBytes()).append(" B storage, ").append(policy.ramFraction())
                .append(" × ").append(capabilities.ramBytes()).append(" B RAM)");
        return new HardwareBudget(allowed, maxBytes, rationale.toString());
    }

    private static EnumSet<Precision> allowedPrecisions(HardwareCapabilities capabilities, StringBuilder rationale) {
        Set<Precision> declared = capabilities.acceleratorPrecisions();
        switch (capabilities.acceleratorType()) {
            case HardwareCapabilities.EDGETPU -> {
                rationale.append("edgetpu executes full-integer int8 only");
                return EnumSet.of(Precision.INT8);
            }
            case HardwareCapabilities.NPU -> {
                if (declared.isEmpty()) {
                    rationale.append("npu without declared precisions: int8-only class");
                    return EnumSet.of(Precision.INT8);
                }
                rationale.append("npu executes ").append(keys(declared));
                return EnumSet.copyOf(declared);
            }
            case HardwareCapabilities.GPU -> {
                if (declared.isEmpty()) {
                    rationale.append("gpu delegate without declared precisions: fp16/fp32 class");
                    return EnumSet.of(Precision.FLOAT16, Precision.FLOAT32);
                }
                rationale.append("gpu executes ").append(keys(declared));
                return EnumSet.copyOf(declared);
            }
            case HardwareCapabilities.NONE -> {
                boolean dotProduct = capabilities.cpuFeatures().stream().anyMatch(INT8_DOT_PRODUCT_FEATURES::contains);
                if (dotProduct) {
                    rationale.append("cpu ").append(capabilities.arch())
                            .append(" with int8 dot-product instructions: every precision");
                    return EnumSet.allOf(Precision.class);
                }
                rationale.append("cpu ").append(capabilities.arch())
                        .append(" without int8 dot-product instructions: every precision but int4-weights");
                return EnumSet.complementOf(EnumSet.of(Precision.INT4_WEIGHTS));
            }
            default -> throw new PlannerException(PlannerErrorCode.INVALID_INPUT,
                    "unknown accelerator type '" + capabilities.acceleratorType() + "'");
        }
    }

    private static String keys(Set<Precision> precisions) {
        return precisions.stream().map(Precision::key).toList().toString();
    }
}
