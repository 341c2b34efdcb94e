package io.edgefleet.planner.pareto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.edgefleet.planner.LayerProfile;
import io.edgefleet.planner.Plan;
import io.edgefleet.planner.PlanConstraints;
import io.edgefleet.planner.PlanEvaluator;
import io.edgefleet.planner.Planner;
import io.edgefleet.planner.PlannerErrorCode;
import io.edgefleet.planner.Precision;
import io.edgefleet.planner.UniformBaseline;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ParetoFrontierTest {
    private static final Planner PLANNER = new Planner();
    private static final List<Precision> PRECISIONS = List.of(Precision.FLOAT32, Precision.FLOAT16, Precision.INT8,
            Precision.INT4_WEIGHTS);

    @ParameterizedTest
    @EnumSource(ParetoAxis.class)
    void shouldReturnNonDominatedMonotonePointsOnTheTrueFrontier(ParetoAxis axis) {
        for (int seed = 0; seed < 3; seed++) {
            List<LayerProfile> layers = layers(new Random(seed), 5);
            ParetoFrontier frontier = ParetoFrontier.sweep(PLANNER, layers, PlanConstraints.unconstrained(), axis);
            List<Plan> all = allPlans(layers);

            assertThat(frontier.points()).hasSizeGreaterThan(2);
            assertThat(frontier.skipped()).isEmpty();
            assertThat(frontier.lowCost()).isEqualTo(all.stream().mapToDouble(p -> p.cost(axis.kind())).min()
                    .orElseThrow(), within(1e-9));
            assertThat(frontier.highCost()).isEqualTo(all.stream().mapToDouble(p -> p.cost(axis.kind())).max()
                    .orElseThrow(), within(1e-9));
            for (int i = 1; i < frontier.points().size(); i++) {
                assertThat(frontier.points().get(i).cost()).isGreaterThan(frontier.points().get(i - 1).cost());
                assertThat(frontier.points().get(i).predictedLoss())
                        .isLessThan(frontier.points().get(i - 1).predictedLoss());
            }
            for (ParetoPoint point : frontier.points()) {
                assertThat(point.cost()).isLessThanOrEqualTo(point.budget() + 1e-9);
                // no plan at all is cheaper-or-equal and strictly better in loss
                assertThat(all).noneMatch(p -> p.cost(axis.kind()) <= point.cost() + 1e-9
                        && p.predictedLoss() < point.predictedLoss() - 1e-9);
            }
            double bestLoss = all.stream().mapToDouble(Plan::predictedLoss).min().orElseThrow();
            ParetoPoint last = frontier.points().get(frontier.points().size() - 1);
            assertThat(last.predictedLoss()).isEqualTo(bestLoss, within(1e-9));
        }
    }

    @Test
    void shouldBeatOrMatchUniformPlansOfTheSameSize() {
        List<LayerProfile> layers = layers(new Random(42), 6);
        ParetoFrontier frontier = ParetoFrontier.sweep(PLANNER, layers, PlanConstraints.unconstrained(),
                ParetoAxis.SIZE, ParetoFrontier.uniformFractions(41));
        UniformBaseline.all(layers).values().forEach(uniform -> assertThat(
                frontier.bestWithin(uniform.predictedSizeBytes()).orElseThrow().predictedLoss())
                .isLessThanOrEqualTo(uniform.predictedLoss() + 1e-12));
    }

    @Test
    void shouldReportBudgetsThatOtherBaseBudgetsMakeInfeasible() {
        List<LayerProfile> layers = layers(new Random(7), 4);
        Plan allInt4 = UniformBaseline.plan(layers, Precision.INT4_WEIGHTS);
        // half the all-int4 loss: the smallest sizes (all int4) become unreachable under this loss budget
        PlanConstraints base = PlanConstraints.unconstrained().withMaxPredictedLoss(allInt4.predictedLoss() * 0.5);
        ParetoFrontier frontier = ParetoFrontier.sweep(PLANNER, layers, base, ParetoAxis.SIZE);
        assertThat(frontier.skipped()).isNotEmpty().allSatisfy(s -> {
            assertThat(s.code()).isEqualTo(PlannerErrorCode.BUDGETS_JOINTLY_INFEASIBLE);
            assertThat(s.reason()).contains("size budget");
        });
        assertThat(frontier.skipped().get(0).fraction()).isZero();
        assertThat(frontier.points()).isNotEmpty().allSatisfy(p -> assertThat(p.predictedLoss())
                .isLessThanOrEqualTo(allInt4.predictedLoss() * 0.5 + 1e-9));
    }

    @Test
    void shouldKeepOnlyNonDominatedPointsOncePerPlan() {
        Plan a = plan("a", Precision.INT8);
        Plan b = plan("a", Precision.FLOAT16);
        Plan c = plan("a", Precision.FLOAT32);
        List<ParetoPoint> candidates = List.of(
                new ParetoPoint(1.0, 30, 30, 0.0, c),
                new ParetoPoint(0.5, 25, 20, 0.0, b), // dominates c: cheaper, same loss
                new ParetoPoint(0.6, 26, 20, 0.0, b), // same plan again
                new ParetoPoint(0.0, 10, 10, 0.5, a));
        List<ParetoPoint> frontier = ParetoFrontier.nonDominated(candidates);
        assertThat(frontier).extracting(ParetoPoint::fraction).containsExactly(0.0, 0.5);
    }

    @Test
    void shouldRejectFractionsOutsideUnitInterval() {
        List<LayerProfile> layers = layers(new Random(1), 2);
        assertThatThrownBy(() -> ParetoFrontier.sweep(PLANNER, layers, PlanConstraints.unconstrained(),
                ParetoAxis.SIZE, List.of(0.0, 1.5))).hasMessageContaining("[0, 1]");
        assertThat(ParetoFrontier.uniformFractions(5)).containsExactly(0.0, 0.25, 0.5, 0.75, 1.0);
    }

    private static Plan plan(String id, Precision precision) {
        LayerProfile layer = new LayerProfile(id, "CONV_2D", 1, 1, Map.of(precision, 0.0), Map.of(precision, 1L),
                Map.of());
        return PlanEvaluator.evaluate(List.of(layer), Map.of(id, precision));
    }

    private static List<LayerProfile> layers(Random random, int count) {
        List<LayerProfile> layers = new ArrayList<>();
        for (int l = 0; l < count; l++) {
            long params = 500 + random.nextInt(5000);
            Map<Precision, Double> sensitivity = new EnumMap<>(Precision.class);
            Map<Precision, Long> size = new EnumMap<>(Precision.class);
            Map<Precision, Double> latency = new EnumMap<>(Precision.class);
            for (Precision p : PRECISIONS) {
                double bits = p.nominalWeightBits();
                sensitivity.put(p, (32 - bits) / 32 * random.nextDouble());
                size.put(p, (long) (params * bits / 8));
                latency.put(p, params / 100.0 * (0.3 + bits / 32 * random.nextDouble()));
            }
            layers.add(new LayerProfile("l" + l, "CONV_2D", params, params * 9, sensitivity, size, latency));
        }
        return layers;
    }

    private static List<Plan> allPlans(List<LayerProfile> layers) {
        List<Plan> plans = new ArrayList<>();
        int total = (int) Math.pow(PRECISIONS.size(), layers.size());
        for (int code = 0; code < total; code++) {
            Map<String, Precision> assignment = new HashMap<>();
            int rest = code;
            for (LayerProfile layer : layers) {
                assignment.put(layer.layerId(), PRECISIONS.get(rest % PRECISIONS.size()));
                rest /= PRECISIONS.size();
            }
            plans.add(PlanEvaluator.evaluate(layers, assignment));
        }
        return plans;
    }

}
