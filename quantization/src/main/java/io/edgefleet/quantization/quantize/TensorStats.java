package io.edgefleet.quantization.quantize;

/**
 * Calibration statistics of one tensor: running min/max, then (optionally) a histogram over [min, max].
 */
public final class TensorStats {
    private float min = Float.POSITIVE_INFINITY;
    private float max = Float.NEGATIVE_INFINITY;
    private long count;
    private long[] histogram;
    private float histMin;
    private float histMax;

    void observeRange(float[] values) {
        for (float v : values) {
            if (v < min) {
                min = v;
            }
            if (v > max) {
                max = v;
            }
        }
        count += values.length;
    }

    void startHistogram(int bins) {
        histogram = new long[bins];
        histMin = Math.min(min, 0f);
        histMax = Math.max(max, 0f);
    }

    void observeHistogram(float[] values) {
        int bins = histogram.length;
        float width = (histMax - histMin) / bins;
        if (!(width > 0)) {
            histogram[0] += values.length;
            return;
        }
        for (float v : values) {
            int b = (int) ((v - histMin) / width);
            histogram[Math.max(0, Math.min(bins - 1, b))]++;
        }
    }

    public float min() {
        return min;
    }

    public float max() {
        return max;
    }

    public long count() {
        return count;
    }

    boolean hasHistogram() {
        return histogram != null;
    }

    /** The range chosen by an estimator; always contains 0 (TFLite requirement). */
    float[] range(RangeEstimator estimator, double percentile, int levels) {
        float lo = Math.min(min, 0f);
        float hi = Math.max(max, 0f);
        if (estimator == RangeEstimator.MIN_MAX || histogram == null || !(hi > lo)) {
            return new float[] {lo, hi};
        }
        float width = (histMax - histMin) / histogram.length;
        if (estimator == RangeEstimator.PERCENTILE) {
            double tail = (100.0 - percentile) / 100.0;
            long total = 0;
            for (long c : histogram) {
                total += c;
            }
            long cut = (long) Math.floor(total * tail);
            float qlo = histMin;
            long acc = 0;
            for (int i = 0; i < histogram.length; i++) {
                acc += histogram[i];
                if (acc > cut) {
                    qlo = histMin + i * width;
                    break;
                }
            }
            float qhi = histMax;
            acc = 0;
            for (int i = histogram.length - 1; i >= 0; i--) {
                acc += histogram[i];
                if (acc > cut) {
                    qhi = histMin + (i + 1) * width;
                    break;
                }
            }
            return new float[] {Math.min(qlo, 0f), Math.max(qhi, 0f)};
        }
        // MSE: scan shrink factors of the observed range, pick the one minimizing expected squared error
        double best = Double.POSITIVE_INFINITY;
        float[] bestRange = {lo, hi};
        for (int step = 0; step < 100; step++) {
            double f = 1.0 - step * 0.008;
            float clo = (float) (lo * f);
            float chi = (float) (hi * f);
            double scale = (chi - clo) / (levels - 1);
            if (!(scale > 0)) {
                continue;
            }
            double err = 0;
            for (int i = 0; i < histogram.length; i++) {
                if (histogram[i] == 0) {
                    continue;
                }
                double center = histMin + (i + 0.5) * width;
                double e;
                if (center < clo) {
                    e = clo - center;
                    err += histogram[i] * e * e;
                } else if (center > chi) {
                    e = center - chi;
                    err += histogram[i] * e * e;
                } else {
                    err += histogram[i] * scale * scale / 12.0;
                }
            }
            if (err < best) {
                best = err;
                bestRange = new float[] {clo, chi};
            }
        }
        return bestRange;
    }
}
