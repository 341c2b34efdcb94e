package io.edgefleet.controlplane.rollouts.gates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class GateEvaluatorTest {
  private static final GateConfig ALL = new GateConfig(0.05, 2_000.0, 0.01, 100);

  @Test
  void shouldBePendingWithZeroSamples() {
    List<GateResult> r = GateEvaluator.evaluate(ALL, new GateInput("b", 0, 0, 0, 0, null));

    assertThat(r).extracting(GateResult::gate).containsExactly(Gate.ACCURACY, Gate.P95_LATENCY, Gate.FAILURE_RATE);
    assertThat(r).allSatisfy(g -> {
      assertThat(g.verdict()).isEqualTo(GateVerdict.PENDING);
      assertThat(g.value()).isNull();
      assertThat(g.samples()).isZero();
    });
  }

  @Test
  void shouldStayPendingOneSampleBelowTheMinimumAndEvaluateAtIt() {
    GateConfig accuracyOnly = new GateConfig(0.05, null, null, 100);
    GateResult below = GateEvaluator.evaluate(accuracyOnly, new GateInput("b", 99, 0, 99, 0, null)).get(0);
    GateResult at = GateEvaluator.evaluate(accuracyOnly, new GateInput("b", 100, 0, 100, 0, null)).get(0);

    assertThat(below.verdict()).isEqualTo(GateVerdict.PENDING);
    assertThat(below.value()).isZero(); // measured, but not enough samples to judge
    assertThat(at.verdict()).isEqualTo(GateVerdict.FAIL);
    assertThat(at.samples()).isEqualTo(100);
  }

  @Test
  void shouldPassAccuracyExactlyAtOneMinusTheAllowedDrop() {
    GateConfig c = new GateConfig(0.25, null, null, 1);
    GateResult exact = GateEvaluator.evaluate(c, new GateInput("b", 400, 0, 400, 300, null)).get(0);
    GateResult below = GateEvaluator.evaluate(c, new GateInput("b", 400, 0, 400, 299, null)).get(0);

    assertThat(exact.threshold()).isEqualTo(0.75);
    assertThat(exact.value()).isEqualTo(0.75);
    assertThat(exact.verdict()).isEqualTo(GateVerdict.PASS);
    assertThat(below.verdict()).isEqualTo(GateVerdict.FAIL);
  }

  @Test
  void shouldPassLatencyAndFailureRateExactlyAtTheBound() {
    GateConfig c = new GateConfig(null, 2_000.0, 0.01, 1);
    List<GateResult> exact = GateEvaluator.evaluate(c, new GateInput("b", 1_000, 10, 0, 0, 2_000.0));
    List<GateResult> over = GateEvaluator.evaluate(c, new GateInput("b", 1_000, 11, 0, 0, 2_001.0));

    assertThat(exact).extracting(GateResult::verdict).containsExactly(GateVerdict.PASS, GateVerdict.PASS);
    assertThat(over).extracting(GateResult::verdict).containsExactly(GateVerdict.FAIL, GateVerdict.FAIL);
    assertThat(over.get(1).value()).isEqualTo(0.011);
  }

  @Test
  void shouldFailEverythingWhenAllInferencesFailed() {
    List<GateResult> r = GateEvaluator.evaluate(ALL, new GateInput("b", 500, 500, 500, 0, 50_000.0));

    assertThat(r).extracting(GateResult::verdict).containsOnly(GateVerdict.FAIL);
    assertThat(r.get(2).value()).isEqualTo(1.0);
  }

  @Test
  void shouldBePendingForLatencyWithoutAHistogram() {
    GateResult r = GateEvaluator.evaluate(new GateConfig(null, 10.0, null, 1), new GateInput("b", 500, 0, 0, 0, null))
        .get(0);
    assertThat(r.verdict()).isEqualTo(GateVerdict.PENDING);
  }

  @Test
  void shouldEvaluateOnlyConfiguredGatesAndRejectAZeroMinimum() {
    assertThat(GateEvaluator.evaluate(GateConfig.none(), new GateInput("b", 5, 5, 5, 0, 1.0))).isEmpty();
    assertThat(GateConfig.none().any()).isFalse();
    assertThatThrownBy(() -> new GateConfig(0.1, null, null, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
