package io.edgefleet.quantization.samples;

import io.edgefleet.quantization.ErrorCode;
import io.edgefleet.quantization.QuantizationException;
import java.util.Arrays;

/**
 * An in-memory set of model input samples (one float array per sample, NHWC without the batch dimension),
 * optionally labelled with class indices.
 *
 * @param sampleShape the shape of ONE sample (no batch dimension)
 * @param inputs one flattened array of {@code prod(sampleShape)} values per sample
 * @param labels class index per sample, or {@code null} if unlabelled
 */
public record SampleSet(int[] sampleShape, float[][] inputs, int[] labels) {

    public SampleSet {
        if (sampleShape == null || inputs == null) {
            throw new QuantizationException(ErrorCode.INVALID_SAMPLES, "sample shape and inputs are required");
        }
        if (inputs.length == 0) {
            throw new QuantizationException(ErrorCode.INVALID_SAMPLES, "sample set is empty");
        }
        long size = 1;
        for (int d : sampleShape) {
            if (d <= 0) {
                throw new QuantizationException(ErrorCode.INVALID_SAMPLES,
                        "sample shape has a non-positive dimension: " + Arrays.toString(sampleShape));
            }
            size *= d;
            if (size > SampleSetCodec.MAX_VALUES) {
                throw new QuantizationException(ErrorCode.INVALID_SAMPLES,
                        "sample shape too large: " + Arrays.toString(sampleShape));
            }
        }
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null || inputs[i].length != size) {
                throw new QuantizationException(ErrorCode.INVALID_SAMPLES, "sample " + i + " has "
                        + (inputs[i] == null ? "no data" : inputs[i].length + " values") + ", expected " + size);
            }
        }
        if (labels != null && labels.length != inputs.length) {
            throw new QuantizationException(ErrorCode.INVALID_SAMPLES,
                    "labels count " + labels.length + " does not match sample count " + inputs.length);
        }
        sampleShape = sampleShape.clone();
    }

    public int count() {
        return inputs.length;
    }

    public int sampleSize() {
        return inputs[0].length;
    }

    public boolean hasLabels() {
        return labels != null;
    }

    /** Samples {@code [from, to)} as a new set sharing the sample arrays. */
    public SampleSet slice(int from, int to) {
        if (from < 0 || to > count() || from >= to) {
            throw new QuantizationException(ErrorCode.INVALID_ARGUMENT,
                    "invalid slice [" + from + ", " + to + ") of " + count() + " samples");
        }
        return new SampleSet(sampleShape, Arrays.copyOfRange(inputs, from, to),
                labels == null ? null : Arrays.copyOfRange(labels, from, to));
    }

    /** Throws {@link ErrorCode#NON_FINITE_VALUES} if any sample contains NaN or infinity. */
    public void requireFinite() {
        for (int i = 0; i < inputs.length; i++) {
            for (float v : inputs[i]) {
                if (!Float.isFinite(v)) {
                    throw new QuantizationException(ErrorCode.NON_FINITE_VALUES,
                            "sample " + i + " contains a non-finite value (" + v + ")");
                }
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SampleSet s && Arrays.equals(sampleShape, s.sampleShape)
                && Arrays.deepEquals(inputs, s.inputs) && Arrays.equals(labels, s.labels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(sampleShape) + Arrays.deepHashCode(inputs)) + Arrays.hashCode(labels);
    }

    @Override
    public String toString() {
        return "SampleSet[count=" + count() + ", shape=" + Arrays.toString(sampleShape) + ", labelled="
                + hasLabels() + "]";
    }
}
