package io.edgefleet.planner;

import static io.edgefleet.planner.Instances.layer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlannerTest {
    private static final Planner PLANNER = new Planner();

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldMatchExhaustiveOptimumOnRandomInstances(boolean integral) {
        int solved = 0;
        int infeasible = 0;
        for (int seed = 0; seed < 150; seed++) {
            Random random = new Random(seed * 31L + (integral ? 7 : 0));
            List<LayerProfile> layers = Instances.random(random, 1 + random.nextInt(6), integral);
            PlanConstraints constraints = randomConstraints(random, layers);
            Optional<Plan> expected = BruteForce.best(layers, constraints, 1e-9);
            if (expected.isEmpty()) {
                assertThatThrownBy(() -> PLANNER.plan(layers, constraints))
                        .as("seed %d", seed).isInstanceOf(InfeasiblePlanException.class);
                infeasible++;
                continue;
            }
            Plan plan = PLANNER.plan(layers, constraints);
            assertThat(plan.stats().status()).isEqualTo(SolveStatus.OPTIMAL);
            assertThat(plan.predictedLoss()).as("seed %d loss", seed)
                    .isCloseTo(expected.get().predictedLoss(), within(1e-9));
            assertThat(plan.predictedSizeBytes()).as("seed %d size tie-break", seed)
                    .isEqualTo(expected.get().predictedSizeBytes());
            assertThat(plan.predictedLatencyMicros()).as("seed %d latency tie-break", seed)
                    .isCloseTo(expected.get().predictedLatencyMicros(), within(1e-9));
            assertRespects(plan, layers, constraints);
            solved++;
        }
        assertThat(solved).isGreaterThan(60);
        assertThat(infeasible).isGreaterThan(5);
    }

    @Test
    void shouldMatchExhaustiveOptimumForEveryObjective() {
        for (int seed = 0; seed < 40; seed++) {
            Random random = new Random(seed);
            List<LayerProfile> layers = Instances.random(random, 2 + random.nextInt(4), false);
            PlanConstraints constraints = PlanConstraints.unconstrained();
            List<Plan> all = BruteForce.feasiblePlans(layers, constraints, true);
            double minSize = all.stream().mapToDouble(Plan::predictedSizeBytes).min().orElseThrow();
            double minLatency = all.stream().mapToDouble(Plan::predictedLatencyMicros).min().orElseThrow();
            assertThat(PLANNER.plan(layers, constraints, Objective.MIN_SIZE).predictedSizeBytes())
                    .isEqualTo((long) minSize);
            assertThat(PLANNER.plan(layers, constraints, Objective.MIN_LATENCY).predictedLatencyMicros())
                    .isCloseTo(minLatency, within(1e-9));
        }
    }

    @Test
    void shouldMeetSizeBudgetExactly() {
        List<LayerProfile> layers = List.of(
                layer("a", "CONV_2D", Precision.FLOAT32, 0.0, 4000, 10, Precision.INT8, 0.5, 1000, 4),
                layer("b", "CONV_2D", Precision.FLOAT32, 0.0, 8000, 20, Precision.INT8, 0.1, 2000, 8));
        // 6000 B is only reachable with a=FLOAT32, b=INT8; 5999 B forces both to INT8
        Plan exact = PLANNER.plan(layers, PlanConstraints.unconstrained().withMaxSizeBytes(6000L));
        assertThat(exact.predictedSizeBytes()).isEqualTo(6000);
        assertThat(exact.assignment()).containsEntry("a", Precision.FLOAT32).containsEntry("b", Precision.INT8);
        Plan below = PLANNER.plan(layers, PlanConstraints.unconstrained().withMaxSizeBytes(5999L));
        assertThat(below.assignment()).containsEntry("a", Precision.INT8).containsEntry("b", Precision.INT8);
        assertThat(below.predictedSizeBytes()).isEqualTo(3000);
        Plan smallest = PLANNER.plan(layers, PlanConstraints.unconstrained().withMaxSizeBytes(3000L));
        assertThat(smallest.predictedSizeBytes()).isEqualTo(3000);
    }

    @Test
    void shouldMeetLatencyAndLossBudgetsEqualToAchievableTotals() {
        // non-dyadic values: the budget is the double sum of the chosen latencies, as a caller would compute it
        List<LayerProfile> layers = List.of(
                layer("a", "CONV_2D", Precision.FLOAT32, 0.0, 40, 0.1, Precision.INT8, 0.3, 10, 0.07),
                layer("b", "CONV_2D", Precision.FLOAT32, 0.0, 80, 0.2, Precision.INT8, 0.7, 20, 0.13),
                layer("c", "CONV_2D", Precision.FLOAT32, 0.0, 80, 0.3, Precision.INT8, 0.11, 20, 0.19));
        double allInt8Latency = 0.07 + 0.13 + 0.19;
        Plan fastest = PLANNER.plan(layers, PlanConstraints.unconstrained().withMaxLatencyMicros(allInt8Latency));
        assertThat(fastest.assignment().values()).containsOnly(Precision.INT8);
        double lossOfAandCWithInt8 = 0.3 + 0.11;
        Plan lossBound = PLANNER.plan(layers,
                PlanConstraints.unconstrained().withMaxPredictedLoss(lossOfAandCWithInt8), Objective.MIN_SIZE);
        assertThat(lossBound.predictedLoss()).isCloseTo(lossOfAandCWithInt8, within(1e-12));
        assertThat(lossBound.assignment()).containsEntry("a", Precision.INT8).containsEntry("c", Precision.INT8)
                .containsEntry("b", Precision.FLOAT32);
    }

    @Test
    void shouldExplainInfeasibleSizeBudgetWithExactSmallestSize() {
        List<LayerProfile> layers = List.of(
                layer("a", "CONV_2D", Precision.FLOAT32, 0.0, 40000, 10, Precision.INT8, 0.5, 10000, 4),
                layer("b", "FULLY_CONNECTED", Precision.FLOAT32, 0.0, 160000, 20, Precision.INT8, 0.1, 40000, 8,
                        Precision.INT4_WEIGHTS, 0.9, 20000, 9));
        PlanConstraints constraints = PlanConstraints.unconstrained().withMaxSizeBytes(29999L)
                .withAllowedPrecisions(EnumSet.of(Precision.FLOAT32, Precision.INT8, Precision.INT4_WEIGHTS));
        InfeasiblePlanException error = catchThrowableOfType(InfeasiblePlanException.class,
                () -> PLANNER.plan(layers, constraints));
        assertThat(error.code()).isEqualTo(PlannerErrorCode.SIZE_BUDGET_INFEASIBLE);
        assertThat(error.code().key()).isEqualTo("planner.size-budget-infeasible");
        assertThat(error).hasMessage("size budget 29999 B cannot be met: smallest achievable size with the allowed "
                + "precisions is 30000 B");
        assertThat(error.violation(BudgetKind.SIZE)).hasValueSatisfying(v -> {
            assertThat(v.smallestAchievableAlone()).isEqualTo(30000);
            assertThat(v.infeasibleAlone()).isTrue();
        });
        // without INT4 the smallest achievable size changes accordingly
        InfeasiblePlanException noInt4 = catchThrowableOfType(InfeasiblePlanException.class, () -> PLANNER.plan(
                layers, constraints.withAllowedPrecisions(EnumSet.of(Precision.FLOAT32, Precision.INT8))));
        assertThat(noInt4).hasMessageEndingWith("is 50000 B");
    }

    @Test
    void shouldExplainInfeasibleLatencyAndLossBudgets() {
        List<LayerProfile> layers = List.of(
                layer("a", "CONV_2D", Precision.FLOAT32, 0.25, 400, 10.5, Precision.INT8, 0.5, 100, 4.25),
                layer("b", "CONV_2D", Precision.FLOAT32, 0.125, 800, 20, Precision.INT8, 1.0, 200, 8));
        InfeasiblePlanException latency = catchThrowableOfType(InfeasiblePlanException.class,
                () -> PLANNER.plan(layers, PlanConstraints.unconstrained().withMaxLatencyMicros(12.0)));
        assertThat(latency.code()).isEqualTo(PlannerErrorCode.LATENCY_BUDGET_INFEASIBLE);
        assertThat(latency).hasMessage("latency budget 12.0 µs cannot be met: smallest achievable latency with the "
                + "allowed precisions is 12.25 µs");
        InfeasiblePlanException loss = catchThrowableOfType(InfeasiblePlanException.class,
                () -> PLANNER.plan(layers, PlanConstraints.unconstrained().withMaxPredictedLoss(0.3)));
        assertThat(loss.code()).isEqualTo(PlannerErrorCode.LOSS_BUDGET_INFEASIBLE);
        assertThat(loss.violation(BudgetKind.PREDICTED_LOSS).orElseThrow().smallestAchievableAlone())
                .isEqualTo(0.375);
        InfeasiblePlanException both = catchThrowableOfType(InfeasiblePlanException.class, () -> PLANNER.plan(layers,
                PlanConstraints.unconstrained().withMaxLatencyMicros(12.0).withMaxSizeBytes(299L)));
        assertThat(both.code()).isEqualTo(PlannerErrorCode.BUDGETS_JOINTLY_INFEASIBLE);
        assertThat(both.violations()).extracting(BudgetViolation::kind)
                .containsExactly(BudgetKind.SIZE, BudgetKind.LATENCY);
        assertThat(both).hasMessageContaining("smallest achievable size with the allowed precisions is 300 B");
    }

    @Test
    void shouldExplainBudgetsThatAreOnlyJointlyInfeasible() {
        // a: FLOAT32 is fast but big, INT8 is small but slow (e.g. no int8 kernels)
        List<LayerProfile> layers = List.of(
                layer("a", "CONV_2D", Precision.FLOAT32, 0.0, 1000, 10, Precision.INT8, 0.5, 250, 30),
                layer("b", "CONV_2D", Precision.FLOAT32, 0.0, 2000, 20, Precision.INT8, 0.5, 500, 60));
        PlanConstraints constraints = PlanConstraints.unconstrained().withMaxSizeBytes(1000L)
                .withMaxLatencyMicros(45.0);
        InfeasiblePlanException error = catchThrowableOfType(InfeasiblePlanException.class,
                () -> PLANNER.plan(layers, constraints));
        assertThat(error.code()).isEqualTo(PlannerErrorCode.BUDGETS_JOINTLY_INFEASIBLE);
        BudgetViolation size = error.violation(BudgetKind.SIZE).orElseThrow();
        assertThat(size.smallestAchievableAlone()).isEqualTo(750);
        // within 45 µs only {FLOAT32, FLOAT32} (30 µs) and {INT8, FLOAT32} (50 µs is too slow) ... → 3000 B
        assertThat(size.smallestAchievableWithOtherBudgets()).isEqualTo(3000);
        BudgetViolation latency = error.violation(BudgetKind.LATENCY).orElseThrow();
        assertThat(latency.smallestAchievableAlone()).isEqualTo(30);
        assertThat(latency.smallestAchievableWithOtherBudgets()).isEqualTo(90);
        assertThat(error).hasMessage("budgets cannot be met together (each is achievable alone): size budget 1000 B "
                + "cannot be met: smallest achievable size while meeting the other budgets is 3000 B (alone it would "
                + "be 750 B); latency budget 45.0 µs cannot be met: smallest achievable latency while meeting the "
                + "other budgets is 90.0 µs (alone it would be 30.0 µs)");
    }

    @Test
    void shouldRespectTies() {
        List<LayerProfile> layers = List.of(
                layer("branch1", "CONV_2D", Precision.FLOAT32, 0.0, 1000, 10, Precision.INT8, 0.01, 250, 3),
                layer("branch2", "CONV_2D", Precision.FLOAT32, 0.0, 1000, 10, Precision.INT8, 0.9, 250, 3),
                layer("other", "CONV_2D", Precision.FLOAT32, 0.0, 1000, 10, Precision.INT8, 0.02, 250, 3));
        PlanConstraints base = PlanConstraints.unconstrained().withMaxSizeBytes(2000L);
        Plan untied = PLANNER.plan(layers, base);
        assertThat(untied.assignment()).containsEntry("branch1", Precision.INT8)
                .containsEntry("branch2", Precision.FLOAT32).containsEntry("other", Precision.INT8);
        Plan tied = PLANNER.plan(layers, base.withTies(List.of(Set.of("branch1", "branch2"))));
        assertThat(tied.precisionOf("branch1")).isEqualTo(tied.precisionOf("branch2"));
        // tying forces the sensitive branch2 down with branch1, so 'other' must stay in float to fit the budget
        assertThat(tied.assignment()).containsEntry("branch1", Precision.INT8).containsEntry("other",
                Precision.FLOAT32);
        assertThat(tied.predictedLoss()).isCloseTo(0.91, within(1e-12));
    }

    @Test
    void shouldMergeOverlappingTiesAndRejectTiesWithoutCommonPrecision() {
        List<LayerProfile> layers = List.of(
                layer("a", "CONV_2D", Precision.FLOAT32, 0.0, 100, 1, Precision.INT8, 0.1, 25, 1),
                layer("b", "CONV_2D", Precision.FLOAT32, 0.0, 100, 1, Precision.INT8, 0.1, 25, 1),
                layer("c", "ADD", Precision.FLOAT16, 0.0, 50, 1, Precision.INT8, 0.1, 25, 1));
        Plan plan = PLANNER.plan(layers, PlanConstraints.unconstrained().withMaxSizeBytes(100L)
                .withTies(List.of(Set.of("a", "b"), Set.of("b", "c"))));
        assertThat(plan.assignment().values()).containsOnly(Precision.INT8);
        assertThat(plan.stats().decisionGroups()).isEqualTo(1);
        InfeasiblePlanException error = catchThrowableOfType(InfeasiblePlanException.class, () -> PLANNER.plan(
                layers, PlanConstraints.unconstrained().withAllowedPrecisionsByOp(Map.of("ADD",
                        EnumSet.of(Precision.FLOAT16))).withTies(List.of(Set.of("a", "c")))));
        assertThat(error.code()).isEqualTo(PlannerErrorCode.TIE_NO_COMMON_PRECISION);
        assertThat(error).hasMessageContaining("[a, c]").hasMessageContaining("c=[float16]");
    }

    @Test
    void shouldRespectAllowedPrecisionsGloballyAndPerOp() {
        List<LayerProfile> layers = Instances.random(new Random(3), 6, false);
        PlanConstraints constraints = PlanConstraints.unconstrained()
                .withAllowedPrecisions(EnumSet.of(Precision.FLOAT32, Precision.INT8, Precision.INT4_WEIGHTS))
                .withAllowedPrecisionsByOp(Map.of("DEPTHWISE_CONV_2D", EnumSet.of(Precision.FLOAT32)));
        Plan plan = PLANNER.plan(layers, constraints, Objective.MIN_SIZE);
        for (LayerProfile layer : layers) {
            assertThat(plan.precisionOf(layer.layerId())).isIn(constraints.allowedFor(layer.opType()));
            if (layer.opType().equals("DEPTHWISE_CONV_2D")) {
                assertThat(plan.precisionOf(layer.layerId())).isEqualTo(Precision.FLOAT32);
            }
        }
        assertThat(plan.assignment().values()).doesNotContain(Precision.FLOAT16);
    }

    @Test
    void shouldNameLayerWithoutCandidatePrecision() {
        List<LayerProfile> layers = List.of(
                layer("a", "CONV_2D", Precision.FLOAT32, 0.0, 100, 1, Precision.INT8, 0.1, 25, 1),
                layer("softmax", "SOFTMAX", Precision.FLOAT32, 0.0, 0, 1));
        assertThatThrownBy(() -> PLANNER.plan(layers, PlanConstraints.unconstrained()
                .withAllowedPrecisions(EnumSet.of(Precision.INT8))))
                .isInstanceOfSatisfying(InfeasiblePlanException.class,
                        e -> assertThat(e.code()).isEqualTo(PlannerErrorCode.NO_ALLOWED_PRECISION))
                .hasMessageContaining("layer 'softmax' (SOFTMAX) has no candidate precision: allowed [int8]");
    }

    @Test
    void shouldRejectLatencyBudgetWithoutLatencies() {
        LayerProfile noLatency = new LayerProfile("a", "CONV_2D", 1, 1, Map.of(Precision.INT8, 0.1),
                Map.of(Precision.INT8, 10L), Map.of());
        assertThatThrownBy(() -> PLANNER.plan(List.of(noLatency),
                PlanConstraints.unconstrained().withMaxLatencyMicros(5.0)))
                .isInstanceOfSatisfying(PlannerException.class,
                        e -> assertThat(e.code()).isEqualTo(PlannerErrorCode.NO_ALLOWED_PRECISION))
                .hasMessageContaining("with latency []");
        Plan plan = PLANNER.plan(List.of(noLatency), PlanConstraints.unconstrained());
        assertThat(plan.latencyKnown()).isFalse();
    }

    @Test
    void shouldRejectMalformedInput() {
        LayerProfile a = layer("a", "CONV_2D", Precision.INT8, 0.1, 25, 1);
        assertThatThrownBy(() -> PLANNER.plan(List.of(a, a), PlanConstraints.unconstrained()))
                .isInstanceOfSatisfying(PlannerException.class,
                        e -> assertThat(e.code()).isEqualTo(PlannerErrorCode.INVALID_INPUT))
                .hasMessageContaining("duplicate layer id 'a'");
        assertThatThrownBy(() -> PLANNER.plan(List.of(a),
                PlanConstraints.unconstrained().withTies(List.of(Set.of("a", "ghost")))))
                .hasMessageContaining("unknown layer 'ghost'");
        assertThatThrownBy(() -> PLANNER.plan(List.of(), PlanConstraints.unconstrained()))
                .hasMessage("no layers to plan");
        assertThatThrownBy(() -> layer("n", "CONV_2D", Precision.INT8, Double.NaN, 25, 1))
                .isInstanceOf(PlannerException.class).hasMessageContaining("sensitivity for int8");
    }

    @Test
    void shouldProduceSamePlanAndHashWhateverTheInputOrder() {
        List<LayerProfile> layers = Instances.random(new Random(11), 6, true);
        PlanConstraints constraints = PlanConstraints.unconstrained().withMaxSizeBytes(14L);
        Plan first = PLANNER.plan(layers, constraints);
        List<LayerProfile> shuffled = new ArrayList<>(layers);
        Collections.shuffle(shuffled, new Random(5));
        Collections.reverse(shuffled);
        Plan second = PLANNER.plan(shuffled, constraints);
        assertThat(second.assignment()).isEqualTo(first.assignment());
        assertThat(second.planHash()).isEqualTo(first.planHash()).matches("[0-9a-f]{64}");
        assertThat(second.predictedLoss()).isEqualTo(first.predictedLoss());
    }

    private static PlanConstraints randomConstraints(Random random, List<LayerProfile> layers) {
        List<Plan> all = BruteForce.feasiblePlans(layers, PlanConstraints.unconstrained(), true);
        PlanConstraints constraints = PlanConstraints.unconstrained();
        if (random.nextInt(3) > 0) {
            long size = all.get(random.nextInt(all.size())).predictedSizeBytes();
            constraints = constraints.withMaxSizeBytes(
                    random.nextInt(5) == 0 ? Math.max(0, size - 1 - random.nextInt(50)) : size);
        }
        if (random.nextInt(3) == 0) {
            double latency = all.get(random.nextInt(all.size())).predictedLatencyMicros();
            constraints = constraints.withMaxLatencyMicros(random.nextBoolean() ? latency : latency * 1.05);
        }
        if (random.nextInt(4) == 0) {
            constraints = constraints.withMaxPredictedLoss(all.get(random.nextInt(all.size())).predictedLoss());
        }
        if (random.nextInt(3) == 0 && layers.size() >= 2) {
            Set<String> tie = new HashSet<>();
            tie.add(layers.get(0).layerId());
            tie.add(layers.get(1 + random.nextInt(layers.size() - 1)).layerId());
            constraints = constraints.withTies(List.of(tie));
        }
        if (random.nextInt(3) == 0) {
            EnumSet<Precision> allowed = EnumSet.of(Precision.FLOAT32);
            Instances.FOUR.forEach(p -> {
                if (random.nextBoolean()) {
                    allowed.add(p);
                }
            });
            constraints = constraints.withAllowedPrecisions(allowed);
        }
        if (random.nextInt(4) == 0) {
            constraints = constraints.withAllowedPrecisionsByOp(Map.of("CONV_2D",
                    EnumSet.of(Precision.FLOAT32, Precision.INT8)));
        }
        return constraints;
    }

    private static void assertRespects(Plan plan, List<LayerProfile> layers, PlanConstraints constraints) {
        for (LayerProfile layer : layers) {
            assertThat(constraints.allowedFor(layer.opType())).contains(plan.precisionOf(layer.layerId()));
        }
        for (Set<String> tie : constraints.ties()) {
            assertThat(tie.stream().map(plan::precisionOf).distinct()).hasSize(1);
        }
        if (constraints.maxSizeBytes() != null) {
            assertThat(plan.predictedSizeBytes()).isLessThanOrEqualTo(constraints.maxSizeBytes());
        }
        if (constraints.maxLatencyMicros() != null) {
            assertThat(plan.predictedLatencyMicros()).isLessThanOrEqualTo(constraints.maxLatencyMicros() + 1e-9);
        }
        if (constraints.maxPredictedLoss() != null) {
            assertThat(plan.predictedLoss()).isLessThanOrEqualTo(constraints.maxPredictedLoss() + 1e-9);
        }
    }
}
