package io.edgefleet.quantizer.mixed;

import io.edgefleet.quantization.sensitivity.LayerSensitivity;
import io.edgefleet.quantization.sensitivity.WeightProxy;
import java.util.Locale;

/** Which per-layer measurement the planner treats as the additive "predicted loss". */
public enum SensitivityMetric {
    /** Mean KL(float || single-layer-quantized) of the output distributions (default: smooth, additive). */
    OUTPUT_KL("kl"),
    /** Mean squared difference of the outputs. */
    OUTPUT_MSE("mse"),
    /** 1 - top-1 agreement with the float model (coarse on small sets). */
    TOP1_DISAGREEMENT("disagreement"),
    /** Data-free ||W - Q(W)||^2 (0 for operators without weights); needs no forward passes. */
    WEIGHT_PROXY("weight-proxy");

    private final String key;

    SensitivityMetric(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** The value of this metric for one measured (layer, precision) pair; {@code proxy} may be null. */
    public double of(LayerSensitivity measured, WeightProxy proxy) {
        if (this == OUTPUT_KL) {
            return measured.outputKl();
        } else if (this == OUTPUT_MSE) {
            return measured.outputMse();
        } else if (this == TOP1_DISAGREEMENT) {
            return 1.0 - measured.top1Agreement();
        }
        return proxy == null ? 0.0 : proxy.squaredError();
    }

    /** Parses a {@link #key()} or constant name, case-insensitively. */
    public static SensitivityMetric fromKey(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (SensitivityMetric m : values()) {
            if (m.key.equals(v) || m.name().toLowerCase(Locale.ROOT).equals(v)) {
                return m;
            }
        }
        throw new QuantizerCliException(CliErrorCode.INVALID_ARGUMENT, "unknown sensitivity metric '" + value
                + "' (kl, mse, disagreement, weight-proxy)");
    }
}
