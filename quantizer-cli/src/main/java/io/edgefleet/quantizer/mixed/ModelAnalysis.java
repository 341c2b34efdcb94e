package io.edgefleet.quantizer.mixed;

import io.edgefleet.planner.LayerProfile;
import io.edgefleet.planner.Precision;
import io.edgefleet.planner.latency.LatencyTable;
import io.edgefleet.quantization.model.ModelSummary;
import io.edgefleet.quantization.model.OpInfo;
import io.edgefleet.quantization.model.TfliteModel;
import io.edgefleet.quantization.quantize.CalibratedModel;
import io.edgefleet.quantization.quantize.LayerPrecision;
import io.edgefleet.quantization.sensitivity.LayerSensitivity;
import io.edgefleet.quantization.sensitivity.SensitivityAnalyzer;
import io.edgefleet.quantization.sensitivity.WeightProxy;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything measured about one float model that planning needs: the calibrated model (reused for builds), per
 * layer × precision forward-pass sensitivities and data-free weight proxies, per-layer sizes from parameter counts,
 * the fixed bytes of the model outside the layers, and optionally a host latency table.
 *
 * @param calibrated validated float model with activation statistics
 * @param options what was measured
 * @param summary graph summary (per-layer MACs / parameters)
 * @param sensitivities one entry per measured (layer, precision); empty if sensitivity was not measured
 * @param proxies data-free ||W-Q(W)||^2 per weighted layer and precision
 * @param fixedBytes bytes of the float model not attributed to any layer (graph structure, activations metadata)
 * @param latency host latency table (null if not measured)
 * @param timings wall time of each stage
 */
public record ModelAnalysis(CalibratedModel calibrated, AnalysisOptions options, ModelSummary summary,
        List<LayerSensitivity> sensitivities, List<WeightProxy> proxies, long fixedBytes, LatencyTable latency,
        Timings timings) {

    public ModelAnalysis {
        sensitivities = List.copyOf(sensitivities);
        proxies = List.copyOf(proxies);
    }

    /**
     * Wall time of each analysis stage, in milliseconds.
     *
     * @param calibrationMillis recording activation statistics
     * @param sensitivityMillis single-layer builds and forward passes
     * @param latencyMillis latency table benchmark (uniform models or per-layer models, see {@link LatencyMethod})
     */
    public record Timings(long calibrationMillis, long sensitivityMillis, long latencyMillis) {
        public long totalMillis() {
            return calibrationMillis + sensitivityMillis + latencyMillis;
        }
    }

    public TfliteModel model() {
        return calibrated.model();
    }

    /** The candidate precisions of one layer (FLOAT32 first). */
    public List<LayerPrecision> candidates(OpInfo op) {
        List<LayerPrecision> result = new ArrayList<>();
        result.add(LayerPrecision.FLOAT32);
        result.addAll(SensitivityAnalyzer.measuredPrecisions(op, options.precisions()));
        return result;
    }

    /** The measured sensitivity of one pair, if measured. */
    public Optional<LayerSensitivity> sensitivity(int layer, LayerPrecision precision) {
        return sensitivities.stream().filter(s -> s.layer() == layer && s.precision() == precision).findFirst();
    }

    public Optional<WeightProxy> proxy(int layer, LayerPrecision precision) {
        return proxies.stream().filter(p -> p.layer() == layer && p.precision() == precision).findFirst();
    }

    /** Bytes a layer contributes at a precision (see {@link LayerSizeModel}). */
    public long layerBytes(int layer, LayerPrecision precision) {
        return LayerSizeModel.bytes(model(), model().ops().get(layer), precision);
    }

    /** Predicted size of a mixed model: fixed bytes + the chosen layer sizes (layers absent = FLOAT32). */
    public long predictedModelBytes(Map<Integer, LayerPrecision> plan) {
        long total = fixedBytes;
        for (OpInfo op : model().ops()) {
            total += layerBytes(op.index(), plan.getOrDefault(op.index(), LayerPrecision.FLOAT32));
        }
        return total;
    }

    /** Predicted additive loss of a plan under a metric (layers absent = FLOAT32 = 0). */
    public double predictedLoss(Map<Integer, LayerPrecision> plan, SensitivityMetric metric) {
        double total = 0;
        for (OpInfo op : model().ops()) {
            total += loss(op, plan.getOrDefault(op.index(), LayerPrecision.FLOAT32), metric);
        }
        return total;
    }

    /**
     * Predicted latency of a plan: the sum of the latency table's values of the chosen (layer, precision) pairs
     * (layers absent = FLOAT32); NaN without a latency table or when a pair is missing from it.
     */
    public double predictedLatencyMicros(Map<Integer, LayerPrecision> plan) {
        if (latency == null) {
            return Double.NaN;
        }
        double total = 0;
        for (OpInfo op : model().ops()) {
            var value = latency.micros(op.layerId(), PrecisionMapping.toPlanner(plan.getOrDefault(op.index(),
                    LayerPrecision.FLOAT32)));
            if (value.isEmpty()) {
                return Double.NaN;
            }
            total += value.getAsDouble();
        }
        return total;
    }

    /** The planner's view of every layer under a sensitivity metric; latencies from {@link #latency()} if any. */
    public List<LayerProfile> profiles(SensitivityMetric metric) {
        if (metric != SensitivityMetric.WEIGHT_PROXY && sensitivities.isEmpty()) {
            throw new QuantizerCliException(CliErrorCode.INVALID_ARGUMENT, "metric " + metric.key()
                    + " needs the forward-pass sensitivity analysis (only weight-proxy works without it)");
        }
        List<LayerProfile> result = new ArrayList<>();
        for (OpInfo op : model().ops()) {
            Map<Precision, Double> loss = new EnumMap<>(Precision.class);
            Map<Precision, Long> size = new EnumMap<>(Precision.class);
            Map<Precision, Double> micros = new EnumMap<>(Precision.class);
            for (LayerPrecision p : candidates(op)) {
                Precision key = PrecisionMapping.toPlanner(p);
                loss.put(key, loss(op, p, metric));
                size.put(key, layerBytes(op.index(), p));
                if (latency != null) {
                    latency.micros(op.layerId(), key).ifPresent(v -> micros.put(key, v));
                }
            }
            result.add(new LayerProfile(op.layerId(), op.name(), op.parameterCount(), op.macs(), loss, size, micros));
        }
        return List.copyOf(result);
    }

    /** The precisions every layer may use, as planner precisions. */
    public Set<Precision> plannerPrecisions() {
        Set<Precision> set = java.util.EnumSet.noneOf(Precision.class);
        options.precisions().forEach(p -> set.add(PrecisionMapping.toPlanner(p)));
        set.add(Precision.FLOAT32);
        return set;
    }

    private double loss(OpInfo op, LayerPrecision p, SensitivityMetric metric) {
        if (p == LayerPrecision.FLOAT32) {
            return 0.0;
        }
        WeightProxy proxy = proxy(op.index(), p).orElse(null);
        if (metric == SensitivityMetric.WEIGHT_PROXY) {
            return proxy == null ? 0.0 : proxy.squaredError();
        }
        LayerSensitivity s = sensitivity(op.index(), p).orElseThrow(() -> new QuantizerCliException(
                CliErrorCode.INVALID_ARGUMENT, "layer " + op.layerId() + " was not measured at " + p));
        return metric.of(s, proxy);
    }
}
