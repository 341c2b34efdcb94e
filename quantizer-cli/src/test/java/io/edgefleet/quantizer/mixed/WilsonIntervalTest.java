package io.edgefleet.quantizer.mixed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WilsonIntervalTest {
    @Test
    void shouldMatchTheTextbookWilsonInterval() {
        // 17 of 19: Wilson 95 % interval [0.6860, 0.9706]
        WilsonInterval w = WilsonInterval.of95(17, 19);
        assertThat(w.proportion()).isCloseTo(17 / 19.0, within(1e-12));
        assertThat(w.low()).isCloseTo(0.6860, within(5e-4));
        assertThat(w.high()).isCloseTo(0.9706, within(5e-4));
    }

    @Test
    void shouldStayInsideZeroOneAtTheExtremes() {
        WilsonInterval all = WilsonInterval.of95(50, 50);
        assertThat(all.high()).isEqualTo(1.0);
        assertThat(all.low()).isCloseTo(0.9287, within(5e-4));
        WilsonInterval none = WilsonInterval.of95(0, 10);
        assertThat(none.low()).isEqualTo(0.0);
        assertThat(none.high()).isCloseTo(0.2775, within(5e-4));
        WilsonInterval empty = WilsonInterval.of95(0, 0);
        assertThat(empty.proportion()).isNaN();
        assertThat(empty.low()).isZero();
        assertThat(empty.high()).isEqualTo(1.0);
    }

    @Test
    void shouldRejectImpossibleCounts() {
        assertThatThrownBy(() -> WilsonInterval.of95(3, 2)).isInstanceOf(QuantizerCliException.class);
        assertThatThrownBy(() -> WilsonInterval.of(1, 2, 0)).isInstanceOf(QuantizerCliException.class);
    }
}
