package io.edgefleet.worker.analysis;

import io.edgefleet.planner.Precision;
import io.edgefleet.planner.latency.LatencyTable;
import io.edgefleet.quantization.model.OpInfo;
import io.edgefleet.quantization.model.Ops;
import io.edgefleet.quantization.quantize.LayerPrecision;
import io.edgefleet.quantization.sensitivity.LayerSensitivity;
import io.edgefleet.quantization.sensitivity.WeightProxy;
import io.edgefleet.quantizer.mixed.ModelAnalysis;
import io.edgefleet.quantizer.mixed.PrecisionMapping;
import io.edgefleet.schemas.events.LayerAnalysis;
import io.edgefleet.schemas.events.LayerAnalysis.PrecisionOption;
import io.edgefleet.worker.jobs.MixedPlans;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.logging.Logger;

/**
 * Maps a {@link ModelAnalysis} of the mixed-precision pipeline to the wire form: one {@link LayerAnalysis} per decision
 * layer (every operator of the model, in graph order), keyed by planner precision keys. Pure logic, no I/O.
 *
 * <p>Sizes are {@link ModelAnalysis#layerBytes}, so {@link ModelAnalysis#fixedBytes()} + Σ sizeBytes(chosen precision)
 * equals {@link ModelAnalysis#predictedModelBytes} for every plan. FLOAT32 is the reference: agreement 1, MSE and KL 0,
 * weight proxy 0 for weighted layers. The options of a layer are exactly the precisions a MIXED plan may give it
 * ({@link MixedPlans#candidates}); a precision whose single-layer model produced non-finite outputs is left out (it
 * cannot be used), as is one that was not measured.
 */
public final class AnalysisMapping {
  private static final Logger LOG = Logger.getLogger(AnalysisMapping.class.getName());

  private AnalysisMapping() {}

  /** The decision layers of {@code analysis}, in graph order. */
  public static List<LayerAnalysis> layers(ModelAnalysis analysis) {
    List<LayerAnalysis> result = new ArrayList<>();
    LatencyTable latency = analysis.latency();
    for (OpInfo op : analysis.model().ops()) {
      boolean weighted = Ops.WEIGHTED_OPS.contains(op.builtinCode());
      Map<String, PrecisionOption> options = new LinkedHashMap<>();
      for (LayerPrecision p : MixedPlans.candidates(op)) {
        Precision key = PrecisionMapping.toPlanner(p);
        long size = analysis.layerBytes(op.index(), p);
        double micros = latencyMicros(latency, op.layerId(), key);
        if (p == LayerPrecision.FLOAT32) {
          options.put(key.key(), new PrecisionOption(size, micros, 1.0, 0.0, 0.0, weighted ? 0.0 : -1.0));
          continue;
        }
        Optional<LayerSensitivity> measured = analysis.sensitivity(op.index(), p);
        if (measured.isEmpty()) {
          LOG.warning("layer " + op.layerId() + " was not measured at " + key.key() + "; option left out");
          continue;
        }
        LayerSensitivity s = measured.get();
        if (!Double.isFinite(s.top1Agreement()) || !Double.isFinite(s.outputMse()) || !Double.isFinite(s.outputKl())) {
          LOG.warning("layer " + op.layerId() + " at " + key.key() + " produced non-finite outputs (agreement "
              + s.top1Agreement() + ", mse " + s.outputMse() + ", kl " + s.outputKl() + "); option left out");
          continue;
        }
        double proxy = analysis.proxy(op.index(), p).map(WeightProxy::squaredError).filter(Double::isFinite).orElse(-1.0);
        options.put(
            key.key(),
            new PrecisionOption(size, micros, clamp01(s.top1Agreement()), s.outputMse(), s.outputKl(), proxy));
      }
      result.add(new LayerAnalysis(op.layerId(), op.name(), op.parameterCount(), op.macs(), null, options));
    }
    return List.copyOf(result);
  }

  /** Predicted size of a plan (layer id → precision key) from the wire form: fixedBytes + Σ chosen sizes. */
  public static long predictedBytes(long fixedBytes, List<LayerAnalysis> layers, Map<String, String> plan) {
    long total = fixedBytes;
    for (LayerAnalysis layer : layers) {
      String key = plan.get(layer.layerId());
      PrecisionOption option = key == null ? null : layer.options().get(key);
      if (option == null) {
        throw new IllegalArgumentException("plan has no available precision for layer " + layer.layerId());
      }
      total += option.sizeBytes();
    }
    return total;
  }

  private static double latencyMicros(LatencyTable table, String layerId, Precision precision) {
    if (table == null) {
      return -1.0;
    }
    OptionalDouble v = table.micros(layerId, precision);
    return v.isPresent() && Double.isFinite(v.getAsDouble()) && v.getAsDouble() >= 0 ? v.getAsDouble() : -1.0;
  }

  private static double clamp01(double v) {
    return Math.max(0.0, Math.min(1.0, v));
  }
}
