package io.edgefleet.controlplane.profiles;

import io.edgefleet.planner.PlanHash;
import io.edgefleet.planner.Precision;
import io.edgefleet.schemas.events.BuildKeys;
import io.edgefleet.schemas.events.QuantizationPlan;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Maps a per-layer assignment to the {@link QuantizationPlan} the workers build, with its content hash.
 *
 * <ul>
 *   <li>every layer int8 → {@code FULL_INT8}, every layer float16 → {@code FLOAT16}: the existing uniform modes, with
 *       an empty layer map and the hash of {@code mode=<MODE>} (unchanged, so existing builds keep their keys);
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

  /** The build mode of an assignment. */
  public static String mode(Map<String, Precision> assignment) {
    if (!assignment.isEmpty() && assignment.values().stream().allMatch(p -> p == Precision.INT8)) {
      return FULL_INT8;
    }
    if (!assignment.isEmpty() && assignment.values().stream().allMatch(p -> p == Precision.FLOAT16)) {
      return FLOAT16;
    }
    return MIXED;
  }

  public static QuantizationPlan of(Map<String, Precision> assignment, String rationale) {
    String mode = mode(assignment);
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
