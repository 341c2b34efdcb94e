package io.edgefleet.controlplane.profiles;

import io.edgefleet.planner.LayerProfile;
import io.edgefleet.planner.PlanHash;
import io.edgefleet.planner.Precision;
import io.edgefleet.schemas.events.BuildKeys;
import io.edgefleet.schemas.events.QuantizationPlan;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Maps a per-layer assignment to the {@link QuantizationPlan} the workers build, with its content hash.
 *
 * <ul>
 *   <li>every layer int8 → {@code FULL_INT8}; every layer float16, except layers that have no float16 option (the
 *       weightless ones: pooling, reshape, softmax …) and stay float32 → {@code FLOAT16}, which is exactly what the
 *       float16 mode builds (float16 weights, float32 compute). Both are the existing uniform modes, with an empty layer
 *       map and the hash of {@code mode=<MODE>} (unchanged, so existing builds keep their keys);
 *   <li>anything else → {@code MIXED} with layerId → precision key for every layer; hash = sha256 of
 *       {@code mode=MIXED\n} followed by the planner's canonical assignment text ({@link PlanHash#canonical}: entries
 *       sorted by layer id, each {@code <length of id>:<id>=<precision key>\n}).
 * </ul>
 */
public final class QuantizationPlans {
  public static final String FULL_INT8 = "FULL_INT8";
  public static final String FLOAT16 = "FLOAT16";
  public static final String MIXED = "MIXED";

  private QuantizationPlans() {}

  /** The build mode of an assignment over the analysed layers {@code profiles}. */
  public static String mode(Map<String, Precision> assignment, List<LayerProfile> profiles) {
    if (!assignment.isEmpty() && assignment.values().stream().allMatch(p -> p == Precision.INT8)) {
      return FULL_INT8;
    }
    Map<String, LayerProfile> byId = new HashMap<>();
    profiles.forEach(l -> byId.put(l.layerId(), l));
    boolean anyHalf = assignment.values().stream().anyMatch(p -> p == Precision.FLOAT16);
    boolean float16Build = anyHalf && assignment.entrySet().stream().allMatch(e -> e.getValue() == Precision.FLOAT16
        || (e.getValue() == Precision.FLOAT32 && byId.containsKey(e.getKey())
            && !byId.get(e.getKey()).sizeBytes().containsKey(Precision.FLOAT16)));
    return float16Build ? FLOAT16 : MIXED;
  }

  public static QuantizationPlan of(Map<String, Precision> assignment, List<LayerProfile> profiles, String rationale) {
    String mode = mode(assignment, profiles);
    if (!MIXED.equals(mode)) {
      return new QuantizationPlan(mode, Map.of(), hash("mode=" + mode), rationale);
    }
    Map<String, String> layers = new TreeMap<>();
    assignment.forEach((layer, precision) -> layers.put(layer, precision.key()));
    return new QuantizationPlan(MIXED, layers, hash(canonicalMixed(assignment)), rationale);
  }

  /** The canonical text a MIXED plan's hash is computed from. */
  public static String canonicalMixed(Map<String, Precision> assignment) {
    return "mode=" + MIXED + "\n" + PlanHash.canonical(assignment);
  }

  private static String hash(String canonical) {
    return BuildKeys.sha256Hex(canonical.getBytes(StandardCharsets.UTF_8));
  }
}
