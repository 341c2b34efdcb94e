package io.edgefleet.controlplane.profiles;

import io.edgefleet.controlplane.analysis.AnalysisData;
import io.edgefleet.controlplane.telemetry.OpProfileAggregator;
import io.edgefleet.schemas.events.LayerAnalysis;
import io.edgefleet.schemas.events.LayerAnalysis.PrecisionOption;
import io.edgefleet.schemas.events.OpTiming;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The closed latency loop: turns the worker-host per-layer latency table of a model into a hardware class's table,
 * using what the class's devices measured on builds of the same model.
 *
 * <p>Each device's latest per-operator profile of a build gives the device time of one inference (the sum of its
 * operators' medians). The worker-host table predicts that build's time as the sum, over its plan's layers, of each
 * layer's worker-host latency at the layer's precision. Their ratio is one sample; the class's factor is the median of
 * its samples, and every worker-host latency of the table is multiplied by it. One factor per class keeps the relative
 * costs the worker measured (which precision is faster for which layer) and corrects their scale to the device, so a
 * rollout's p95 gate bounds the plan in device time.
 */
public final class DeviceLatencyCalibration {
  /** How a calibrated table's latency host starts. */
  static final String PREFIX = "devices of ";

  private DeviceLatencyCalibration() {}

  /** Whether {@code a}'s latencies are in device time (scaled by {@link #apply}). */
  public static boolean isCalibrated(AnalysisData a) {
    return a.latencyHost() != null && a.latencyHost().startsWith(PREFIX);
  }

  /** One device's latest profile of one build of the model, with the build's per-layer precisions. */
  public record Sample(String buildKey, String deviceId, String mode, Map<String, String> layerPrecisions,
      List<OpTiming> ops) {}

  /**
   * @param factor device time per worker-host time (median over the samples)
   * @param samples profiles the factor is the median of
   * @param builds distinct builds they profiled
   * @param ratios each usable sample's ratio, in input order
   * @param skipped samples not usable (the table has no latency for a layer at the build's precision, or the plan names
   *     layers the analysis does not have)
   */
  public record Factor(double factor, int samples, int builds, List<Double> ratios, int skipped) {}

  /** The factor for a class from its samples; empty when none is usable. */
  public static Optional<Factor> factor(AnalysisData analysis, List<Sample> samples) {
    Map<String, LayerAnalysis> layers = new LinkedHashMap<>();
    analysis.layers().forEach(l -> layers.put(l.layerId(), l));
    List<Double> ratios = new ArrayList<>();
    java.util.Set<String> builds = new java.util.TreeSet<>();
    int skipped = 0;
    for (Sample s : samples) {
      double worker = workerMicros(layers, s.mode(), s.layerPrecisions());
      double device = s.ops().stream().mapToDouble(OpTiming::medianMicros).sum();
      if (!(worker > 0) || !(device > 0)) {
        skipped++;
        continue;
      }
      ratios.add(device / worker);
      builds.add(s.buildKey());
    }
    if (ratios.isEmpty()) {
      return Optional.empty();
    }
    double median = OpProfileAggregator.median(ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray());
    return Optional.of(new Factor(median, ratios.size(), builds.size(), List.copyOf(ratios), skipped));
  }

  /**
   * The worker-host time the table predicts for a build: Σ over every analysed layer of its latency at the build's
   * precision for it; NaN when a latency is missing or the mode is not one the planner builds. A {@code FULL_INT8}
   * build runs every layer in int8; a {@code FLOAT16} build runs layers with a float16 option in float16 and the
   * weightless ones in float32; a {@code MIXED} build names each layer's precision.
   */
  static double workerMicros(Map<String, LayerAnalysis> layers, String mode, Map<String, String> layerPrecisions) {
    if (!layers.keySet().containsAll(layerPrecisions.keySet())) {
      return Double.NaN;
    }
    double sum = 0;
    for (LayerAnalysis l : layers.values()) {
      String precision;
      if (QuantizationPlans.FULL_INT8.equals(mode)) {
        precision = "int8";
      } else if (QuantizationPlans.FLOAT16.equals(mode)) {
        precision = l.options().containsKey("float16") ? "float16" : "float32";
      } else if (QuantizationPlans.MIXED.equals(mode)) {
        precision = layerPrecisions.getOrDefault(l.layerId(), "float32");
      } else {
        return Double.NaN;
      }
      PrecisionOption o = l.options().get(precision);
      if (o == null || o.latencyMicros() < 0) {
        return Double.NaN;
      }
      sum += o.latencyMicros();
    }
    return sum;
  }

  /** The analysis with every measured latency scaled by {@code f} and the basis stated in its latency host. */
  public static AnalysisData apply(AnalysisData a, String hardwareClass, Factor f) {
    List<LayerAnalysis> scaled = new ArrayList<>(a.layers().size());
    for (LayerAnalysis l : a.layers()) {
      Map<String, PrecisionOption> options = new LinkedHashMap<>();
      l.options().forEach((k, o) -> options.put(k, o.latencyMicros() < 0 ? o : new PrecisionOption(o.sizeBytes(),
          o.latencyMicros() * f.factor(), o.agreement(), o.outputMse(), o.outputKl(), o.weightProxy())));
      scaled.add(new LayerAnalysis(l.layerId(), l.opType(), l.paramCount(), l.macs(), l.tieGroup(), options));
    }
    String host = String.format(Locale.ROOT, PREFIX + "%s: worker host %s × %.3f (median device/worker ratio of %d"
        + " device profile(s) of %d build(s) of this model)", hardwareClass, a.latencyHost(), f.factor(),
        f.samples(), f.builds());
    return new AnalysisData(a.modelId(), a.modelSha256(), a.workerId(), a.floatSizeBytes(), a.fixedBytes(),
        a.sensitivitySamples(), host, a.durationMillis(), a.completedAt(), scaled);
  }
}
