package io.edgefleet.quantizer.mixed;

import io.edgefleet.planner.BudgetKind;
import io.edgefleet.planner.BudgetViolation;
import io.edgefleet.planner.InfeasiblePlanException;
import io.edgefleet.planner.LayerProfile;
import io.edgefleet.planner.Plan;
import io.edgefleet.planner.PlanConstraints;
import io.edgefleet.planner.Planner;
import io.edgefleet.planner.Precision;
import io.edgefleet.planner.latency.LatencyTable;
import io.edgefleet.quantization.model.OpInfo;
import io.edgefleet.quantization.model.TfliteModel;
import io.edgefleet.quantization.quantize.CalibratedModel;
import io.edgefleet.quantization.quantize.LayerPrecision;
import io.edgefleet.quantization.quantize.QuantizationMode;
import io.edgefleet.quantization.quantize.QuantizedModel;
import io.edgefleet.quantization.quantize.Quantizer;
import io.edgefleet.quantization.quantize.QuantizerOptions;
import io.edgefleet.quantization.samples.SampleSet;
import io.edgefleet.quantization.sensitivity.LayerSensitivity;
import io.edgefleet.quantization.sensitivity.ProgressListener;
import io.edgefleet.quantization.sensitivity.SensitivityAnalyzer;
import io.edgefleet.quantization.sensitivity.WeightProxy;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Analysis → plan → build: measures per-layer sensitivities on the real runtime, turns them into planner
 * {@link LayerProfile}s (size from parameter counts, latency from a host benchmark: {@link LatencyMethod}), solves the integer program
 * under a model-size / latency budget and builds the mixed model (FULL_INT8 base mode with per-layer overrides;
 * the quantizer inserts QUANTIZE/DEQUANTIZE at precision boundaries and runs the result before returning it).
 */
public final class MixedPrecisionPipeline {
    private final Planner planner;

    public MixedPrecisionPipeline(Planner planner) {
        this.planner = Objects.requireNonNull(planner, "planner");
    }

    /**
     * Calibrates once and measures everything planning needs.
     *
     * @param floatModel float32 .tflite
     * @param calibration calibration samples (activation ranges)
     * @param sensitivitySet samples the single-layer models are compared on (use a held-out set, not the eval set
     *     the final model is judged on)
     * @param options what to measure
     * @param progress progress of the long stages (sensitivity: one step per (layer, precision))
     */
    public static ModelAnalysis analyze(byte[] floatModel, SampleSet calibration, SampleSet sensitivitySet,
            AnalysisOptions options, ProgressListener progress) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(progress, "progress");
        long t0 = System.nanoTime();
        CalibratedModel calibrated = Quantizer.calibrate(floatModel, calibration, options.quantizer());
        long t1 = System.nanoTime();
        List<LayerSensitivity> sensitivities = List.of();
        if (options.measureSensitivity()) {
            SampleSet set = sensitivitySet == null ? calibrated.samples() : sensitivitySet;
            sensitivities = SensitivityAnalyzer.analyze(calibrated, set, options.precisions(), options.quantizer(),
                    progress);
        }
        List<WeightProxy> proxies = SensitivityAnalyzer.weightProxy(floatModel);
        long t2 = System.nanoTime();
        LatencyTable latency = null;
        if (options.latencyRuns() > 0 && options.latencyMethod() == LatencyMethod.PER_LAYER) {
            latency = PerLayerLatencyProfiler.profile(calibrated, options.quantizer(), options.precisions(),
                    options.latencyRuns(), options.latencyThreads(), options.hardwareClass());
        } else if (options.latencyRuns() > 0) {
            List<LayerPrecision> timed = new ArrayList<>(EnumSet.copyOf(options.precisions()));
            latency = LatencyProfiler.profile(calibrated, options.quantizer(), calibrated.samples(), timed,
                    options.latencyRuns(), options.latencyThreads(), options.hardwareClass());
        }
        long t3 = System.nanoTime();
        TfliteModel model = calibrated.model();
        long layerFloatBytes = 0;
        for (OpInfo op : model.ops()) {
            layerFloatBytes += LayerSizeModel.bytes(model, op, LayerPrecision.FLOAT32);
        }
        long fixed = Math.max(0, model.sizeBytes() - layerFloatBytes);
        return new ModelAnalysis(calibrated, options, model.summary(), sensitivities, proxies, fixed, latency,
                new ModelAnalysis.Timings(ms(t1 - t0), ms(t2 - t1), ms(t3 - t2)));
    }

    /**
     * Solves the per-layer plan.
     *
     * @throws PlanInfeasibleException when a budget cannot be met (message: which budget, smallest achievable)
     */
    public MixedPlan plan(ModelAnalysis analysis, PlanRequest request) {
        List<LayerProfile> profiles = analysis.profiles(request.metric());
        Set<Precision> allowed = request.allowedPrecisions().isEmpty() ? analysis.plannerPrecisions()
                : request.allowedPrecisions();
        PlanConstraints constraints = PlanConstraints.unconstrained().withAllowedPrecisions(allowed);
        if (request.maxModelBytes() != null) {
            constraints = constraints.withMaxSizeBytes(Math.max(0, request.maxModelBytes() - analysis.fixedBytes()));
        }
        if (request.maxLatencyMicros() != null) {
            if (analysis.latency() == null) {
                throw new QuantizerCliException(CliErrorCode.INVALID_ARGUMENT,
                        "a latency budget needs a latency table: analyze with latency runs > 0");
            }
            constraints = constraints.withMaxLatencyMicros(request.maxLatencyMicros());
        }
        Plan plan;
        try {
            plan = planner.plan(profiles, constraints, request.objective());
        } catch (InfeasiblePlanException ex) {
            throw explain(ex, analysis.fixedBytes(), request.maxModelBytes());
        }
        Map<Integer, LayerPrecision> layers = toLayerPrecisions(analysis.model(), plan.assignment());
        return new MixedPlan(plan, layers, analysis.predictedModelBytes(layers),
                analysis.predictedLoss(layers, request.metric()), request.metric(), request);
    }

    /**
     * Plans and builds, guaranteeing the real flatbuffer meets the size budget: the size model ignores the few bytes
     * of QUANTIZE/DEQUANTIZE operators and activation quantization parameters, so when the built model exceeds the
     * budget the plan is re-solved with the budget reduced by the excess plus a margin that doubles each round
     * (64 B, 128 B, …; at most {@code maxRounds} rounds).
     *
     * @throws PlanInfeasibleException when no plan fits (initially or after tightening)
     */
    public MixedBuild planAndBuild(ModelAnalysis analysis, PlanRequest request, int maxRounds) {
        if (maxRounds < 1) {
            throw new QuantizerCliException(CliErrorCode.INVALID_ARGUMENT, "maxRounds must be >= 1");
        }
        PlanRequest current = request;
        for (int round = 1; ; round++) {
            MixedPlan plan;
            try {
                plan = plan(analysis, current);
            } catch (PlanInfeasibleException ex) {
                if (round == 1) {
                    throw ex;
                }
                throw new PlanInfeasibleException("model size budget " + request.maxModelBytes() + " B cannot be met "
                        + "once the QUANTIZE/DEQUANTIZE and quantization-parameter bytes are counted (" + ex.getMessage()
                        + ")", ex.smallestModelBytes(), (InfeasiblePlanException) ex.getCause());
            }
            QuantizedModel model = build(analysis, plan.layerPrecisions());
            Long budget = request.maxModelBytes();
            if (budget == null || model.sizeBytes() <= budget) {
                return new MixedBuild(new MixedPlan(plan.plan(), plan.layerPrecisions(), plan.predictedModelBytes(),
                        plan.predictedLoss(), plan.metric(), request), model, round);
            }
            long excess = model.sizeBytes() - budget + (64L << Math.min(round - 1, 20));
            if (round >= maxRounds || current.maxModelBytes() - excess <= 0) {
                throw new PlanInfeasibleException("model size budget " + budget + " B cannot be met: the best plan "
                        + "found builds to " + model.sizeBytes() + " B after " + round + " round(s)",
                        (long) model.sizeBytes(), null);
            }
            current = new PlanRequest(current.maxModelBytes() - excess, current.maxLatencyMicros(), current.metric(),
                    current.allowedPrecisions(), current.objective());
        }
    }

    /** Builds the mixed model of a plan from the analysis' calibration (verified in the runtime). */
    public static QuantizedModel build(ModelAnalysis analysis, Map<Integer, LayerPrecision> layerPrecisions) {
        return build(analysis.calibrated(), layerPrecisions, analysis.options().quantizer());
    }

    /** Builds a mixed model: FULL_INT8 base mode with every listed operator overridden. */
    public static QuantizedModel build(CalibratedModel calibrated, Map<Integer, LayerPrecision> layerPrecisions,
            QuantizerOptions options) {
        return Quantizer.quantize(calibrated, QuantizationMode.FULL_INT8, options.withLayerPrecisions(layerPrecisions));
    }

    /** Planner assignment (layer ids {@code <index>:<OP>}) → operator index → precision, checked against the model. */
    public static Map<Integer, LayerPrecision> toLayerPrecisions(TfliteModel model, Map<String, Precision> assignment) {
        Map<Integer, LayerPrecision> result = new HashMap<>();
        for (Map.Entry<String, Precision> e : assignment.entrySet()) {
            int index = layerIndex(model, e.getKey());
            result.put(index, PrecisionMapping.toLayer(e.getValue()));
        }
        return result;
    }

    /** Resolves a layer id ({@code <index>:<OP>} or a bare index) to an operator index of the model. */
    public static int layerIndex(TfliteModel model, String layerId) {
        String id = layerId.trim();
        int colon = id.indexOf(':');
        String indexPart = colon >= 0 ? id.substring(0, colon) : id;
        int index;
        try {
            index = Integer.parseInt(indexPart);
        } catch (NumberFormatException ex) {
            throw new QuantizerCliException(CliErrorCode.INVALID_PLAN, "layer id '" + layerId
                    + "' is not '<index>:<OP>' or an index", ex);
        }
        if (index < 0 || index >= model.ops().size()) {
            throw new QuantizerCliException(CliErrorCode.INVALID_PLAN, "layer '" + layerId
                    + "' does not exist: the model has " + model.ops().size() + " operators");
        }
        if (colon >= 0 && !model.ops().get(index).name().equals(id.substring(colon + 1))) {
            throw new QuantizerCliException(CliErrorCode.INVALID_PLAN, "layer '" + layerId + "' is a "
                    + model.ops().get(index).name() + " in this model: the plan was made for another model");
        }
        return index;
    }

    static PlanInfeasibleException explain(InfeasiblePlanException ex, long fixedBytes, Long modelBudget) {
        StringBuilder message = new StringBuilder();
        Long smallest = null;
        for (BudgetViolation v : ex.violations()) {
            if (message.length() > 0) {
                message.append("; ");
            }
            if (v.kind() == BudgetKind.SIZE) {
                long budget = modelBudget != null ? modelBudget : (long) v.budget() + fixedBytes;
                long alone = (long) v.smallestAchievableAlone() + fixedBytes;
                message.append("model size budget ").append(budget).append(" B cannot be met: ");
                if (v.infeasibleAlone()) {
                    smallest = alone;
                    message.append("the smallest achievable model with the allowed precisions is ").append(alone)
                            .append(" B (").append(fixedBytes).append(" B of it outside the layers)");
                } else if (Double.isNaN(v.smallestAchievableWithOtherBudgets())) {
                    message.append("achievable alone (").append(alone).append(" B) but not with the other budgets");
                } else {
                    smallest = (long) v.smallestAchievableWithOtherBudgets() + fixedBytes;
                    message.append("the smallest model meeting the other budgets is ").append(smallest).append(" B");
                }
            } else {
                message.append(v.kind().label()).append(" budget ").append(v.kind().format(v.budget()))
                        .append(" cannot be met: smallest achievable ")
                        .append(v.kind().format(v.infeasibleAlone() || Double.isNaN(
                                v.smallestAchievableWithOtherBudgets()) ? v.smallestAchievableAlone()
                                        : v.smallestAchievableWithOtherBudgets()))
                        .append(v.infeasibleAlone() ? "" : " while meeting the other budgets");
            }
        }
        if (message.length() == 0) {
            message.append(ex.getMessage());
        }
        return new PlanInfeasibleException(message.toString(), smallest, ex);
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
