package io.edgefleet.planner.pareto;

import io.edgefleet.planner.CostRange;
import io.edgefleet.planner.InfeasiblePlanException;
import io.edgefleet.planner.LayerProfile;
import io.edgefleet.planner.Objective;
import io.edgefleet.planner.Plan;
import io.edgefleet.planner.PlanConstraints;
import io.edgefleet.planner.Planner;
import io.edgefleet.planner.PlannerErrorCode;
import io.edgefleet.planner.PlannerException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Predicted loss versus size or latency (HAWQ-V3, ZeroQ): budgets are swept as
 * {@code cost(all-low) + f·(cost(all-high) − cost(all-low))} for f in a grid, each budget is planned for minimum
 * predicted loss, and the non-dominated plans are kept.
 *
 * <p>cost(all-low) / cost(all-high) are the smallest / largest achievable totals on the axis with the allowed
 * precisions and ties ({@link CostRange}). The swept budget replaces any budget of the same axis in the base
 * constraints; the other base budgets stay.
 *
 * @param axis the cost axis
 * @param lowCost cost(all-low)
 * @param highCost cost(all-high)
 * @param points non-dominated points, cost strictly increasing and predicted loss strictly decreasing
 * @param skipped budgets for which the base constraints left no plan
 */
public record ParetoFrontier(
        ParetoAxis axis, double lowCost, double highCost, List<ParetoPoint> points, List<SkippedBudget> skipped) {

    /** Number of grid points of {@link #sweep(Planner, List, PlanConstraints, ParetoAxis)}: f = 0, 0.05, ..., 1. */
    public static final int DEFAULT_STEPS = 21;

    public ParetoFrontier {
        Objects.requireNonNull(axis, "axis");
        points = List.copyOf(points);
        skipped = List.copyOf(skipped);
    }

    /** {@code steps} evenly spaced fractions from 0 to 1 inclusive ({@code steps} ≥ 2). */
    public static List<Double> uniformFractions(int steps) {
        if (steps < 2) {
            throw new PlannerException(PlannerErrorCode.INVALID_INPUT, "a sweep needs at least 2 steps");
        }
        return IntStream.range(0, steps).mapToObj(i -> (double) i / (steps - 1)).toList();
    }

    /** Sweeps {@link #DEFAULT_STEPS} uniform fractions. */
    public static ParetoFrontier sweep(
            Planner planner, List<LayerProfile> layers, PlanConstraints base, ParetoAxis axis) {
        return sweep(planner, layers, base, axis, uniformFractions(DEFAULT_STEPS));
    }

    /**
     * Sweeps the given fractions (each in [0, 1]).
     *
     * @throws PlannerException for invalid input or solver failures; budgets that are merely infeasible under the
     *     other base budgets are reported in {@link #skipped()}
     */
    public static ParetoFrontier sweep(Planner planner, List<LayerProfile> layers, PlanConstraints base,
            ParetoAxis axis, List<Double> fractions) {
        Objects.requireNonNull(planner, "planner");
        Objects.requireNonNull(axis, "axis");
        for (double f : fractions) {
            if (!(f >= 0 && f <= 1)) {
                throw new PlannerException(PlannerErrorCode.INVALID_INPUT, "sweep fraction must be in [0, 1], was "
                        + f);
            }
        }
        CostRange range = CostRange.of(layers, base, axis.kind());
        List<ParetoPoint> candidates = new ArrayList<>();
        List<SkippedBudget> skipped = new ArrayList<>();
        for (double f : fractions.stream().sorted().distinct().toList()) {
            double budget = f == 1.0 ? range.max() : range.min() + f * (range.max() - range.min());
            try {
                Plan plan = planner.plan(layers, axis.withBudget(base, budget), Objective.MIN_PREDICTED_LOSS);
                candidates.add(new ParetoPoint(f, budget, plan.cost(axis.kind()), plan.predictedLoss(), plan));
            } catch (InfeasiblePlanException e) {
                skipped.add(new SkippedBudget(f, budget, e.code(), e.getMessage()));
            }
        }
        return new ParetoFrontier(axis, range.min(), range.max(), nonDominated(candidates), skipped);
    }

    /**
     * Keeps the points no other point dominates (another point with cost ≤ and loss ≤, one of them strictly), one
     * per plan, ordered by increasing cost.
     */
    static List<ParetoPoint> nonDominated(List<ParetoPoint> candidates) {
        List<ParetoPoint> sorted = new ArrayList<>(candidates);
        sorted.sort(Comparator.comparingDouble(ParetoPoint::cost).thenComparingDouble(ParetoPoint::predictedLoss)
                .thenComparingDouble(ParetoPoint::fraction));
        List<ParetoPoint> frontier = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        double bestLoss = Double.POSITIVE_INFINITY;
        for (ParetoPoint point : sorted) {
            if (point.predictedLoss() < bestLoss && seen.add(point.plan().planHash())) {
                frontier.add(point);
                bestLoss = point.predictedLoss();
            }
        }
        return frontier;
    }

    /** The lowest-loss point whose cost is within {@code budget}, if any (how the control plane picks per device). */
    public Optional<ParetoPoint> bestWithin(double budget) {
        return points.stream().filter(p -> p.cost() <= budget).min(Comparator.comparingDouble(ParetoPoint::predictedLoss));
    }
}
