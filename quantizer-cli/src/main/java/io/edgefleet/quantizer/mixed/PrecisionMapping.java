package io.edgefleet.quantizer.mixed;

import io.edgefleet.planner.Precision;
import io.edgefleet.quantization.quantize.LayerPrecision;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Maps planner precisions to the per-layer precisions the quantizer can build in one mixed model. The mixed builder
 * (FULL_INT8 base mode with per-operator overrides) supports FLOAT32, FLOAT16, INT8 and INT4_WEIGHTS per layer;
 * INT16X8 and DYNAMIC_INT8 exist only as whole-model modes.
 */
public final class PrecisionMapping {
    /** Planner precisions that can be mixed per layer. */
    public static final Set<Precision> MIXABLE = Collections.unmodifiableSet(
            EnumSet.of(Precision.FLOAT32, Precision.FLOAT16, Precision.INT8, Precision.INT4_WEIGHTS));

    private PrecisionMapping() {
    }

    public static Precision toPlanner(LayerPrecision precision) {
        if (precision == LayerPrecision.FLOAT32) {
            return Precision.FLOAT32;
        } else if (precision == LayerPrecision.FLOAT16) {
            return Precision.FLOAT16;
        } else if (precision == LayerPrecision.INT8) {
            return Precision.INT8;
        } else if (precision == LayerPrecision.INT4_WEIGHTS) {
            return Precision.INT4_WEIGHTS;
        }
        throw new QuantizerCliException(CliErrorCode.UNSUPPORTED_PRECISION, "unknown layer precision " + precision);
    }

    /** @throws QuantizerCliException {@code UNSUPPORTED_PRECISION} for whole-model-only precisions */
    public static LayerPrecision toLayer(Precision precision) {
        if (precision == Precision.FLOAT32) {
            return LayerPrecision.FLOAT32;
        } else if (precision == Precision.FLOAT16) {
            return LayerPrecision.FLOAT16;
        } else if (precision == Precision.INT8) {
            return LayerPrecision.INT8;
        } else if (precision == Precision.INT4_WEIGHTS) {
            return LayerPrecision.INT4_WEIGHTS;
        }
        throw new QuantizerCliException(CliErrorCode.UNSUPPORTED_PRECISION, "precision '" + precision.key()
                + "' cannot be mixed per layer (supported: float32, float16, int8, int4-weights)");
    }
}
