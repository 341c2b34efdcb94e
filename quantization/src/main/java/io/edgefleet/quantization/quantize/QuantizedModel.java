package io.edgefleet.quantization.quantize;

import java.util.Arrays;

/**
 * A quantized model that has been loaded and run by the real TFLite runtime before being returned.
 *
 * @param tflite the flatbuffer
 * @param mode the recipe
 * @param report what was done
 */
public record QuantizedModel(byte[] tflite, QuantizationMode mode, QuantizationReport report) {
    public QuantizedModel {
        tflite = tflite.clone();
    }

    @Override
    public byte[] tflite() {
        return tflite.clone();
    }

    public int sizeBytes() {
        return tflite.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QuantizedModel q && Arrays.equals(tflite, q.tflite) && mode == q.mode
                && report.equals(q.report);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(tflite) * 31 + mode.hashCode();
    }

    @Override
    public String toString() {
        return "QuantizedModel[" + mode + ", " + tflite.length + " bytes]";
    }
}
