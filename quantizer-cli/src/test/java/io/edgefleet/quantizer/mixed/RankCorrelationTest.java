package io.edgefleet.quantizer.mixed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RankCorrelationTest {

    @Test
    void shouldBeOneForMonotoneAndMinusOneForReversedSamples() {
        double[] x = {1, 2, 3, 4, 5};
        assertThat(RankCorrelation.spearman(x, new double[] {10, 20, 25, 100, 1000})).isCloseTo(1.0, within(1e-12));
        assertThat(RankCorrelation.spearman(x, new double[] {5, 4, 3, 2, 1})).isCloseTo(-1.0, within(1e-12));
    }

    @Test
    void shouldAverageTiedRanks() {
        assertThat(RankCorrelation.ranks(new double[] {3, 1, 3, 2})).containsExactly(3.5, 1.0, 3.5, 2.0);
        // textbook example: rho = 1 - 6*sum(d^2)/(n(n^2-1)) without ties
        double rho = RankCorrelation.spearman(new double[] {86, 97, 99, 100, 101, 103, 106, 110, 112, 113},
                new double[] {2, 20, 28, 27, 50, 29, 7, 17, 6, 12});
        assertThat(rho).isCloseTo(-29.0 / 165.0, within(1e-9));
    }

    @Test
    void shouldRejectMismatchedSamples() {
        assertThatThrownBy(() -> RankCorrelation.spearman(new double[] {1, 2}, new double[] {1}))
                .isInstanceOf(QuantizerCliException.class);
        assertThat(RankCorrelation.spearman(new double[] {1, 2, 3}, new double[] {7, 7, 7})).isNaN();
    }
}
