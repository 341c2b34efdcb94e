package io.edgefleet.planner;

import java.util.Locale;

/**
 * Precision options a layer can be built with, mirroring the TFLite quantization modes.
 *
 * <p>{@link #nominalWeightBits()} and {@link #nominalActivationBits()} are the nominal storage/compute widths (used for
 * reporting and bit-operation estimates); measured sizes and latencies always come from {@link LayerProfile}.
 */
public enum Precision {
    /** Float32 weights and activations (the unquantized reference). */
    FLOAT32("float32", 32, 32),
    /** Float16 weights, float32 compute. */
    FLOAT16("float16", 16, 32),
    /** 16x8: int16 activations, int8 weights, int64 bias. */
    INT16X8("int16x8", 8, 16),
    /** Full-integer int8 weights and activations. */
    INT8("int8", 8, 8),
    /** Int4 weights (per-channel or blockwise); activations stay in float. */
    INT4_WEIGHTS("int4-weights", 4, 32),
    /** Dynamic-range: int8 weights, float activations quantized on the fly. */
    DYNAMIC_INT8("dynamic-int8", 8, 32);

    private final String key;
    private final int nominalWeightBits;
    private final int nominalActivationBits;

    Precision(String key, int nominalWeightBits, int nominalActivationBits) {
        this.key = key;
        this.nominalWeightBits = nominalWeightBits;
        this.nominalActivationBits = nominalActivationBits;
    }

    /** Stable lower-case key used in plan hashes, JSON and CLI options (never change an existing key). */
    public String key() {
        return key;
    }

    public int nominalWeightBits() {
        return nominalWeightBits;
    }

    public int nominalActivationBits() {
        return nominalActivationBits;
    }

    /** Parses a {@link #key()} (or the enum constant name), case-insensitively. */
    public static Precision fromKey(String value) {
        String normalized = value.trim().toLowerCase(Locale.ROOT);
        for (Precision precision : values()) {
            if (precision.key.equals(normalized) || precision.name().toLowerCase(Locale.ROOT).equals(normalized)) {
                return precision;
            }
        }
        throw new PlannerException(PlannerErrorCode.INVALID_INPUT, "unknown precision '" + value + "'");
    }
}
