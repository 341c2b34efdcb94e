package io.edgefleet.quantization.quantize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TensorStatsRangeTest {

    private static TensorStats stats(float[] values) {
        TensorStats s = new TensorStats();
        s.observeRange(values);
        s.startHistogram(2048);
        s.observeHistogram(values);
        return s;
    }

    @Test
    void shouldClipRareOutliersWithTheKlEstimator() {
        Random r = new Random(1);
        float[] v = new float[50_000];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.abs(r.nextGaussian());
        }
        v[7] = 60f; // one outlier stretches min/max to 60
        TensorStats s = stats(v);
        float[] minMax = s.range(RangeEstimator.MIN_MAX, 99.99, 256);
        float[] kl = s.range(RangeEstimator.KL, 99.99, 256);
        assertThat(minMax[1]).isEqualTo(60f);
        assertThat(kl[0]).isEqualTo(0f);
        assertThat(kl[1]).isLessThan(30f).isGreaterThan(3f);
    }

    @Test
    void shouldKeepTheFullRangeOfAUniformDistribution() {
        Random r = new Random(2);
        float[] v = new float[50_000];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        float[] kl = stats(v).range(RangeEstimator.KL, 99.99, 256);
        assertThat(kl[0]).isLessThan(-0.9f);
        assertThat(kl[1]).isGreaterThan(0.9f);
    }
}
