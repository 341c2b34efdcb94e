package io.edgefleet.quantizer.mixed;

import io.edgefleet.planner.LayerProfile;
import io.edgefleet.planner.PlanConstraints;
import io.edgefleet.planner.Planner;
import io.edgefleet.planner.Precision;
import io.edgefleet.planner.pareto.ParetoAxis;
import io.edgefleet.planner.pareto.ParetoFrontier;
import io.edgefleet.planner.pareto.ParetoPoint;
import io.edgefleet.quantization.model.OpInfo;
import io.edgefleet.quantization.quantize.LayerPrecision;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The Pareto frontier (predicted loss vs model size or vs predicted latency) of a {@link ModelAnalysis}, with the
 * uniform plans it should be compared with. Budgets are swept by {@link ParetoFrontier#sweep} over the analysis'
 * planner profiles; each frontier point is turned into a per-layer plan ready to build
 * ({@link MixedPrecisionPipeline#build(ModelAnalysis, Map)}).
 */
public final class ParetoSweep {
    private ParetoSweep() {
    }

    /**
     * One plan of the sweep (a frontier point or a uniform baseline), in whole-model terms.
     *
     * @param label "frontier" point label ({@code f=0.35}) or the baseline name (int8, int4-weights, float16)
     * @param fraction sweep fraction (NaN for baselines)
     * @param budget the swept budget on the axis: model bytes (fixed bytes included) or µs (NaN for baselines)
     * @param layerPrecisions operator index → precision, every operator listed
     * @param predictedLoss additive predicted loss under the sweep's metric
     * @param predictedModelBytes fixed bytes + chosen layer sizes
     * @param predictedLatencyMicros sum of the latency table's values (NaN without a table)
     * @param planHash the planner's canonical plan hash
     */
    public record SweepPlan(String label, double fraction, double budget, Map<Integer, LayerPrecision> layerPrecisions,
            double predictedLoss, long predictedModelBytes, double predictedLatencyMicros, String planHash) {
        public SweepPlan {
            layerPrecisions = Map.copyOf(layerPrecisions);
        }

        /** Layers per precision, e.g. {@code f32:2 i8:3 i4:2} (FLOAT32, FLOAT16, INT8, INT4_WEIGHTS order). */
        public String histogram() {
            Map<LayerPrecision, Integer> counts = new EnumMap<>(LayerPrecision.class);
            layerPrecisions.values().forEach(p -> counts.merge(p, 1, Integer::sum));
            StringBuilder b = new StringBuilder();
            counts.forEach((p, n) -> b.append(b.length() == 0 ? "" : " ").append(code(p)).append(':').append(n));
            return b.toString();
        }
    }

    /**
     * @param axis the swept axis
     * @param metric the predicted-loss metric
     * @param frontier the planner's frontier (points, skipped budgets, cost range of the layers)
     * @param points one plan per frontier point, in frontier order (increasing cost, decreasing loss)
     * @param baselines uniform plans for comparison (int8, int4-weights, float16 where the analysis measured them)
     */
    public record Result(ParetoAxis axis, SensitivityMetric metric, ParetoFrontier frontier, List<SweepPlan> points,
            List<SweepPlan> baselines) {
        public Result {
            points = List.copyOf(points);
            baselines = List.copyOf(baselines);
        }
    }

    /**
     * Sweeps {@code steps} evenly spaced budgets between the cheapest and the dearest plan on the axis.
     *
     * @param allowed precisions any layer may use (empty = every precision of the analysis)
     * @throws QuantizerCliException {@code INVALID_ARGUMENT} for a latency sweep without a latency table or steps
     *     below 2
     */
    public static Result sweep(Planner planner, ModelAnalysis analysis, SensitivityMetric metric, ParetoAxis axis,
            int steps, Set<Precision> allowed) {
        Objects.requireNonNull(planner, "planner");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(axis, "axis");
        if (steps < 2) {
            throw new QuantizerCliException(CliErrorCode.INVALID_ARGUMENT, "a sweep needs at least 2 steps");
        }
        if (axis == ParetoAxis.LATENCY && analysis.latency() == null) {
            throw new QuantizerCliException(CliErrorCode.INVALID_ARGUMENT,
                    "a latency sweep needs a latency table: analyze with latency runs > 0");
        }
        Set<Precision> precisions = allowed == null || allowed.isEmpty() ? analysis.plannerPrecisions() : allowed;
        precisions.forEach(PrecisionMapping::toLayer);
        List<LayerProfile> profiles = analysis.profiles(metric);
        PlanConstraints base = PlanConstraints.unconstrained().withAllowedPrecisions(precisions);
        ParetoFrontier frontier = ParetoFrontier.sweep(planner, profiles, base, axis,
                ParetoFrontier.uniformFractions(steps));
        List<SweepPlan> points = new ArrayList<>();
        for (ParetoPoint p : frontier.points()) {
            Map<Integer, LayerPrecision> layers = MixedPrecisionPipeline.toLayerPrecisions(analysis.model(),
                    p.plan().assignment());
            double budget = axis == ParetoAxis.SIZE ? p.budget() + analysis.fixedBytes() : p.budget();
            points.add(new SweepPlan(String.format(java.util.Locale.ROOT, "f=%.2f", p.fraction()), p.fraction(),
                    budget, layers, analysis.predictedLoss(layers, metric), analysis.predictedModelBytes(layers),
                    analysis.predictedLatencyMicros(layers), p.plan().planHash()));
        }
        List<SweepPlan> baselines = new ArrayList<>();
        for (LayerPrecision p : List.of(LayerPrecision.INT8, LayerPrecision.INT4_WEIGHTS, LayerPrecision.FLOAT16)) {
            if (!analysis.options().precisions().contains(p)) {
                continue;
            }
            Map<Integer, LayerPrecision> layers = uniform(analysis, p);
            baselines.add(new SweepPlan(PrecisionMapping.toPlanner(p).key(), Double.NaN, Double.NaN, layers,
                    analysis.predictedLoss(layers, metric), analysis.predictedModelBytes(layers),
                    analysis.predictedLatencyMicros(layers), PlanFile.hash(analysis.model(), layers)));
        }
        return new Result(axis, metric, frontier, points, baselines);
    }

    /**
     * The uniform plan of a precision: every operator at {@code precision} where it is a candidate; otherwise
     * FLOAT32 for the float precisions and INT8 for the integer ones (e.g. int4-weights: non-weighted operators run
     * in int8, float16: non-weighted operators stay float32) — what the whole-model modes build.
     */
    public static Map<Integer, LayerPrecision> uniform(ModelAnalysis analysis, LayerPrecision precision) {
        Map<Integer, LayerPrecision> plan = new HashMap<>();
        for (OpInfo op : analysis.model().ops()) {
            List<LayerPrecision> c = analysis.candidates(op);
            plan.put(op.index(), c.contains(precision) ? precision
                    : precision.isFloat() ? LayerPrecision.FLOAT32 : LayerPrecision.INT8);
        }
        return plan;
    }

    /** Short code of a precision: f32, f16, i8, i4. */
    public static String code(LayerPrecision p) {
        return switch (p) {
            case FLOAT32 -> "f32";
            case FLOAT16 -> "f16";
            case INT8 -> "i8";
            case INT4_WEIGHTS -> "i4";
        };
    }
}
