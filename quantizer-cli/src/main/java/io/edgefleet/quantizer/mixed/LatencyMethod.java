package io.edgefleet.quantizer.mixed;

import java.util.Locale;

/** How {@link MixedPrecisionPipeline#analyze} builds the host latency table (when latency runs are requested). */
public enum LatencyMethod {
    /**
     * One uniform model per precision is benchmarked and its median latency is apportioned to the layers by work
     * (MACs + output elements); see {@link LatencyProfiler}. Cheap; rows of one precision share one measurement.
     */
    APPORTIONED("apportioned"),
    /**
     * Every layer × candidate precision is rebuilt as a single-operator model (same shapes, weights and calibrated
     * ranges) and timed on its own in the runtime; see {@link PerLayerLatencyProfiler}.
     */
    PER_LAYER("per-layer");

    private final String key;

    LatencyMethod(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** Parses a {@link #key()} or constant name, case-insensitively. */
    public static LatencyMethod fromKey(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (LatencyMethod m : values()) {
            if (m.key.equals(v) || m.name().toLowerCase(Locale.ROOT).equals(v)) {
                return m;
            }
        }
        throw new QuantizerCliException(CliErrorCode.INVALID_ARGUMENT, "unknown latency method '" + value
                + "' (apportioned, per-layer)");
    }
}
