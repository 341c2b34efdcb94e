package io.edgefleet.quantization.quantize;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the quantizer did.
 *
 * @param mode the recipe
 * @param rangeEstimator activation range estimator (calibrated modes)
 * @param calibrationSamples samples used for calibration (0 for data-free modes)
 * @param floatModelBytes size of the input model
 * @param quantizedModelBytes size of the produced model
 * @param layers per-operator precision decisions, in the float model's operator order
 * @param tensors quantization parameters of every activation tensor quantized
 * @param warnings non-fatal remarks (float fallbacks, clamped biases, ...)
 */
public record QuantizationReport(QuantizationMode mode, RangeEstimator rangeEstimator, int calibrationSamples,
        long floatModelBytes, long quantizedModelBytes, List<LayerReport> layers, List<TensorReport> tensors,
        List<String> warnings) {

    public QuantizationReport {
        layers = List.copyOf(layers);
        tensors = List.copyOf(tensors);
        warnings = List.copyOf(warnings);
    }

    /** float size / quantized size. */
    public double compressionRatio() {
        return quantizedModelBytes == 0 ? 0 : (double) floatModelBytes / quantizedModelBytes;
    }

    /** A JSON-friendly map view. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", mode.name());
        m.put("rangeEstimator", rangeEstimator.name());
        m.put("calibrationSamples", calibrationSamples);
        m.put("floatModelBytes", floatModelBytes);
        m.put("quantizedModelBytes", quantizedModelBytes);
        m.put("compressionRatio", compressionRatio());
        m.put("layers", layers.stream().map(LayerReport::toMap).toList());
        m.put("warnings", warnings);
        return m;
    }

    /**
     * One float-model operator.
     *
     * @param index operator index in the float model
     * @param op builtin name
     * @param activationType integer/float type the operator now computes in
     * @param weightType type of its weights ("" if none)
     * @param weightRelativeError ||W - Q(W)||^2 / ||W||^2 of its weights (NaN if no quantized weights)
     */
    public record LayerReport(int index, String op, String activationType, String weightType,
            double weightRelativeError) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", index);
            m.put("op", op);
            m.put("activationType", activationType);
            m.put("weightType", weightType);
            m.put("weightRelativeError", Double.isNaN(weightRelativeError) ? null : weightRelativeError);
            return m;
        }
    }

    /**
     * One quantized activation tensor.
     *
     * @param name tensor name
     * @param type integer type
     * @param observedMin calibration minimum (NaN for constants)
     * @param observedMax calibration maximum (NaN for constants)
     * @param scale scale
     * @param zeroPoint zero point
     */
    public record TensorReport(String name, String type, double observedMin, double observedMax, double scale,
            long zeroPoint) {
    }
}
