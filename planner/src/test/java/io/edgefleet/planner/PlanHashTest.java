package io.edgefleet.planner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanHashTest {

    @Test
    void shouldHashCanonicalFormIndependentOfMapOrder() {
        Map<String, Precision> forward = new LinkedHashMap<>();
        forward.put("conv1", Precision.INT8);
        forward.put("conv2", Precision.FLOAT16);
        Map<String, Precision> backward = new LinkedHashMap<>();
        backward.put("conv2", Precision.FLOAT16);
        backward.put("conv1", Precision.INT8);
        assertThat(PlanHash.canonical(forward)).isEqualTo("5:conv1=int8\n5:conv2=float16\n");
        assertThat(PlanHash.of(backward)).isEqualTo(PlanHash.of(forward));
        // pinned value (= sha256sum of the canonical text above): changing the canonical form would change every stored plan hash
        assertThat(PlanHash.of(forward))
                .isEqualTo("b9ae5f96eae4b48f61e1fba4d11f0a38d0178b2db0170834adc98ff465bcd5d4");
    }

    @Test
    void shouldDistinguishDifferentAssignmentsAndAmbiguousIds() {
        Map<String, Precision> a = Map.of("conv1", Precision.INT8);
        Map<String, Precision> b = Map.of("conv1", Precision.DYNAMIC_INT8);
        assertThat(PlanHash.of(a)).isNotEqualTo(PlanHash.of(b));
        Map<String, Precision> tricky = new HashMap<>();
        tricky.put("x=int8\n1:y", Precision.INT8);
        Map<String, Precision> split = new HashMap<>();
        split.put("x", Precision.INT8);
        split.put("y", Precision.INT8);
        assertThat(PlanHash.canonical(tricky)).isNotEqualTo(PlanHash.canonical(split));
    }

    @Test
    void shouldEvaluateUniformBaselines() {
        LayerProfile a = new LayerProfile("a", "CONV_2D", 1, 1, Map.of(Precision.FLOAT32, 0.0, Precision.INT8, 0.5),
                Map.of(Precision.FLOAT32, 400L, Precision.INT8, 100L), Map.of(Precision.INT8, 3.0));
        LayerProfile b = new LayerProfile("b", "CONV_2D", 1, 1, Map.of(Precision.FLOAT32, 0.0, Precision.INT8, 0.25),
                Map.of(Precision.FLOAT32, 800L, Precision.INT8, 200L), Map.of(Precision.INT8, 5.0));
        Plan int8 = UniformBaseline.plan(java.util.List.of(a, b), Precision.INT8);
        assertThat(int8.predictedLoss()).isEqualTo(0.75);
        assertThat(int8.predictedSizeBytes()).isEqualTo(300);
        assertThat(int8.predictedLatencyMicros()).isEqualTo(8.0);
        assertThat(int8.stats().status()).isEqualTo(SolveStatus.EVALUATED);
        Map<Precision, Plan> all = UniformBaseline.all(java.util.List.of(a, b));
        assertThat(all).containsOnlyKeys(Precision.FLOAT32, Precision.INT8);
        assertThat(all.get(Precision.FLOAT32).latencyKnown()).isFalse();
    }
}
