package io.edgefleet.controlplane.telemetry;

import io.edgefleet.schemas.events.OpTiming;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Merges the latest per-operator profiles of a hardware class's devices into one per-operator view (pure). */
public final class OpProfileAggregator {
  private OpProfileAggregator() {}

  /** One device's latest profile of a build. */
  public record DeviceProfile(String deviceId, Instant profiledAt, List<OpTiming> ops) {}

  /** The view of one class; {@code profiles} must not be empty. */
  public static OpProfileView.ClassProfile merge(String hardwareClass, List<DeviceProfile> profiles) {
    if (profiles.isEmpty()) {
      throw new IllegalArgumentException("no profiles for " + hardwareClass);
    }
    Map<OpKey, List<Double>> byOp = new TreeMap<>(Comparator.comparingInt(OpKey::opIndex).thenComparing(OpKey::op));
    Instant last = Instant.MIN;
    for (DeviceProfile p : profiles) {
      if (p.profiledAt().isAfter(last)) {
        last = p.profiledAt();
      }
      for (OpTiming t : p.ops()) {
        byOp.computeIfAbsent(new OpKey(t.opIndex(), t.op()), k -> new ArrayList<>()).add(t.medianMicros());
      }
    }
    record Merged(OpKey key, int devices, double median, double min, double max) {}
    List<Merged> merged = new ArrayList<>();
    double total = 0;
    for (Map.Entry<OpKey, List<Double>> e : byOp.entrySet()) {
      double[] v = e.getValue().stream().mapToDouble(Double::doubleValue).sorted().toArray();
      double median = median(v);
      total += median;
      merged.add(new Merged(e.getKey(), v.length, median, v[0], v[v.length - 1]));
    }
    List<OpProfileView.OpEntry> ops = new ArrayList<>(merged.size());
    for (Merged m : merged) {
      ops.add(new OpProfileView.OpEntry(m.key().opIndex(), m.key().op(), m.devices(), m.median(), m.min(), m.max(),
          total > 0 ? m.median() / total : 0));
    }
    return new OpProfileView.ClassProfile(hardwareClass, profiles.size(), last, total, ops);
  }

  /** Median of sorted values (mean of the two middle ones for an even count). */
  public static double median(double[] sorted) {
    if (sorted.length == 0) {
      throw new IllegalArgumentException("median of nothing");
    }
    if (!isSorted(sorted)) {
      throw new IllegalArgumentException("values are not sorted: " + Arrays.toString(sorted));
    }
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  private static boolean isSorted(double[] v) {
    for (int i = 1; i < v.length; i++) {
      if (v[i] < v[i - 1]) {
        return false;
      }
    }
    return true;
  }

  private record OpKey(int opIndex, String op) {}
}
