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
    private final double[] channelSums;
    private long channelCount;

    /** Statistics without per-channel means (a single channel). */
    TensorStats() {
        this(1);
    }

    /** @param channels size of the innermost (channel, NHWC) dimension, for per-channel means */
    TensorStats(int channels) {
        channelSums = new double[Math.max(1, channels)];
    }

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
        int channels = channelSums.length;
        if (values.length % channels == 0) {
            for (int i = 0; i < values.length; i++) {
                channelSums[i % channels] += values[i];
            }
            channelCount += values.length / channels;
        }
    }

    /** Mean of each innermost-dimension channel over all observed values (zeros if nothing was observed). */
    public double[] channelMeans() {
        double[] means = new double[channelSums.length];
        if (channelCount > 0) {
            for (int c = 0; c < means.length; c++) {
                means[c] = channelSums[c] / channelCount;
            }
        }
        return means;
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
        if (estimator == RangeEstimator.KL) {
            return klRange(lo, hi, levels, width);
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

    /**
     * Entropy calibration: for shrink factors of the observed range, P = the histogram bins inside the candidate range
     * with the mass outside folded into the edge bins, Q = the unfolded bins merged into the {@code levels}
     * quantization buckets and spread back uniformly over each bucket's non-empty bins; the range with the smallest
     * KL(P || Q) wins (ties keep the wider range).
     */
    private float[] klRange(float lo, float hi, int levels, float width) {
        int bins = histogram.length;
        double best = Double.POSITIVE_INFINITY;
        float[] bestRange = {lo, hi};
        double[] p = new double[bins];
        double[] q = new double[bins];
        for (int step = 0; step < 100; step++) {
            double f = 1.0 - step * 0.008;
            float clo = (float) (lo * f);
            float chi = (float) (hi * f);
            double scale = (chi - clo) / (levels - 1);
            if (!(scale > 0)) {
                continue;
            }
            int first = Math.max(0, Math.min(bins - 1, (int) Math.floor((clo - histMin) / width)));
            int last = Math.max(first, Math.min(bins - 1, (int) Math.ceil((chi - histMin) / width) - 1));
            java.util.Arrays.fill(p, 0);
            java.util.Arrays.fill(q, 0);
            for (int i = first; i <= last; i++) {
                p[i] = histogram[i];
            }
            // quantization buckets of the unfolded slice
            int lastBucket = -1;
            double bucketMass = 0;
            int bucketNonEmpty = 0;
            int bucketStart = first;
            for (int i = first; i <= last + 1; i++) {
                int bucket = i <= last ? (int) Math.round((histMin + (i + 0.5) * width - clo) / scale) : -2;
                if (bucket != lastBucket && lastBucket != -1) {
                    for (int k = bucketStart; k < i; k++) {
                        if (histogram[k] > 0) {
                            q[k] = bucketMass / bucketNonEmpty;
                        }
                    }
                    bucketMass = 0;
                    bucketNonEmpty = 0;
                    bucketStart = i;
                }
                if (i <= last) {
                    lastBucket = bucket;
                    bucketMass += histogram[i];
                    bucketNonEmpty += histogram[i] > 0 ? 1 : 0;
                }
            }
            for (int i = 0; i < first; i++) {
                p[first] += histogram[i];
            }
            for (int i = last + 1; i < bins; i++) {
                p[last] += histogram[i];
            }
            double pSum = 0;
            double qSum = 0;
            for (int i = first; i <= last; i++) {
                pSum += p[i];
                qSum += q[i];
            }
            if (!(pSum > 0) || !(qSum > 0)) {
                continue;
            }
            double kl = 0;
            for (int i = first; i <= last; i++) {
                if (p[i] > 0) {
                    double pi = p[i] / pSum;
                    double qi = Math.max(q[i] / qSum, 1e-12);
                    kl += pi * Math.log(pi / qi);
                }
            }
            if (kl < best - 1e-12) {
                best = kl;
                bestRange = new float[] {Math.min(clo, 0f), Math.max(chi, 0f)};
            }
        }
        return bestRange;
    }
}
