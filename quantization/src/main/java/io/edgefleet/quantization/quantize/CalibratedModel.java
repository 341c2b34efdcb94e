package io.edgefleet.quantization.quantize;

import io.edgefleet.quantization.model.TfliteModel;
import io.edgefleet.quantization.samples.SampleSet;
import java.util.Map;

/**
 * A validated float model together with activation statistics recorded on a calibration set, so that several
 * quantized variants (modes, mixed-precision plans) can be built without re-running calibration. Obtain one with
 * {@link Quantizer#calibrate}.
 */
public final class CalibratedModel {
    private final TfliteModel model;
    private final SampleSet samples;
    private final Map<Integer, TensorStats> stats;
    private final boolean histograms;

    CalibratedModel(TfliteModel model, SampleSet samples, Map<Integer, TensorStats> stats, boolean histograms) {
        this.model = model;
        this.samples = samples;
        this.stats = Map.copyOf(stats);
        this.histograms = histograms;
    }

    public TfliteModel model() {
        return model;
    }

    /** The calibration samples actually used. */
    public SampleSet samples() {
        return samples;
    }

    /** Observed [min, max] of an activation tensor of the float model, or null if it was not observed. */
    public float[] observedRange(int tensor) {
        TensorStats s = stats.get(tensor);
        return s == null ? null : new float[] {s.min(), s.max()};
    }

    Map<Integer, TensorStats> stats() {
        return stats;
    }

    boolean hasHistograms() {
        return histograms;
    }
}
