package io.edgefleet.worker.jobs;

import io.edgefleet.planner.Precision;
import io.edgefleet.quantization.model.OpInfo;
import io.edgefleet.quantization.model.TfliteModel;
import io.edgefleet.quantization.quantize.LayerPrecision;
import io.edgefleet.quantization.quantize.QuantizerOptions;
import io.edgefleet.quantization.sensitivity.SensitivityAnalyzer;
import io.edgefleet.quantizer.mixed.PrecisionMapping;
import io.edgefleet.worker.WorkerErrorCode;
import io.edgefleet.worker.WorkerException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MIXED plans: which precisions a layer can be built with, and the check that turns a plan's {@code layerPrecisions}
 * (layer id {@code <opIndex>:<OP>} → planner precision key) into the per-operator precisions of the mixed builder.
 * Pure logic, no I/O; shared by the analysis (which publishes the options) and the build (which checks plans against
 * them).
 */
public final class MixedPlans {
  /** Per-layer precisions the mixed builder can apply (FULL_INT8 base with per-operator overrides). */
  public static final Set<LayerPrecision> MIXABLE = Collections.unmodifiableSet(EnumSet.allOf(LayerPrecision.class));

  private static final Pattern LAYER_ID = Pattern.compile("(\\d{1,9}):([A-Z0-9_]+)");
  /** At most this many problems are listed in one error message. */
  static final int MAX_LISTED_PROBLEMS = 20;

  private MixedPlans() {}

  /**
   * Calibration / build options shared by analyses and MIXED builds, so that a build uses the calibration the analysis
   * measured its sensitivities with.
   */
  public static QuantizerOptions quantizerOptions(int threads) {
    return QuantizerOptions.defaults().withThreads(threads);
  }

  /** The precisions {@code op} can be built with in a mixed model, FLOAT32 first (FLOAT16 / INT4 only if weighted). */
  public static List<LayerPrecision> candidates(OpInfo op) {
    List<LayerPrecision> result = new ArrayList<>();
    result.add(LayerPrecision.FLOAT32);
    result.addAll(SensitivityAnalyzer.measuredPrecisions(op, MIXABLE));
    return result;
  }

  /**
   * Checks a MIXED plan against the model and resolves it: every operator must be listed exactly once by its id
   * {@code <index>:<OP>} with a precision key it can be built with.
   *
   * @return operator index → precision, one entry per operator
   * @throws WorkerException {@link WorkerErrorCode#INVALID_PLAN} listing every problem found
   */
  public static Map<Integer, LayerPrecision> resolve(TfliteModel model, Map<String, String> layerPrecisions) {
    List<String> problems = new ArrayList<>();
    Map<Integer, LayerPrecision> resolved = new TreeMap<>();
    List<OpInfo> ops = model.ops();
    for (Map.Entry<String, String> e : new TreeMap<>(layerPrecisions).entrySet()) {
      String layerId = e.getKey();
      Matcher m = LAYER_ID.matcher(layerId == null ? "" : layerId);
      if (!m.matches()) {
        problems.add("layer id '" + layerId + "' is not <opIndex>:<OP>");
        continue;
      }
      int index = Integer.parseInt(m.group(1));
      if (index >= ops.size()) {
        problems.add("unknown layer '" + layerId + "': the model has " + ops.size() + " operators");
        continue;
      }
      OpInfo op = ops.get(index);
      if (!op.name().equals(m.group(2))) {
        problems.add("layer '" + layerId + "' is a " + op.name() + " in this model (" + op.layerId() + ")");
        continue;
      }
      LayerPrecision precision = layerPrecision(layerId, e.getValue(), problems);
      if (precision == null) {
        continue;
      }
      if (!candidates(op).contains(precision)) {
        problems.add("layer '" + layerId + "' cannot be built at " + e.getValue() + " (allowed: "
            + keys(candidates(op)) + ")");
        continue;
      }
      resolved.put(index, precision);
    }
    for (OpInfo op : ops) {
      if (!resolved.containsKey(op.index()) && !listed(layerPrecisions, op)) {
        problems.add("layer '" + op.layerId() + "' has no precision (a MIXED plan lists every layer)");
      }
    }
    if (!problems.isEmpty()) {
      int n = problems.size();
      List<String> shown = problems.subList(0, Math.min(n, MAX_LISTED_PROBLEMS));
      throw new WorkerException(
          WorkerErrorCode.INVALID_PLAN,
          "MIXED plan does not fit the model (" + n + " problem(s)): " + String.join("; ", shown)
              + (n > shown.size() ? "; …" : ""));
    }
    return resolved;
  }

  /** The planner key of a per-layer precision ({@code float32, float16, int8, int4-weights}). */
  public static String key(LayerPrecision precision) {
    return PrecisionMapping.toPlanner(precision).key();
  }

  private static LayerPrecision layerPrecision(String layerId, String key, List<String> problems) {
    if (key == null) {
      problems.add("layer '" + layerId + "' has a null precision");
      return null;
    }
    for (Precision p : Precision.values()) {
      if (p.key().equals(key)) {
        if (!PrecisionMapping.MIXABLE.contains(p)) {
          problems.add("layer '" + layerId + "': precision " + key + " exists only as a whole-model mode, not per layer"
              + " (per layer: " + keys(List.copyOf(MIXABLE)) + ")");
          return null;
        }
        return PrecisionMapping.toLayer(p);
      }
    }
    problems.add("layer '" + layerId + "': unknown precision '" + key + "'");
    return null;
  }

  private static boolean listed(Map<String, String> layerPrecisions, OpInfo op) {
    return layerPrecisions.containsKey(op.layerId());
  }

  private static List<String> keys(List<LayerPrecision> precisions) {
    List<String> keys = new ArrayList<>();
    for (LayerPrecision p : precisions) {
      keys.add(key(p));
    }
    return keys;
  }
}
