package io.edgefleet.controlplane.telemetry;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/telemetry/builds/{buildKey}/ops}: where a build spends its time on the devices, per operator and
 * hardware class, from the latest profile of each device (profiled runs are separate from the latency figures).
 *
 * @param buildKey the build
 * @param classes one entry per hardware class with at least one profile, in class order
 */
public record OpProfileView(String buildKey, List<ClassProfile> classes) {

  /**
   * @param hardwareClass the class
   * @param devices devices whose latest profile is included
   * @param lastProfiledAt end of the newest profiled telemetry window
   * @param totalMedianMicros sum of the operators' {@code medianMicros}: the profiled time of one inference
   * @param ops operators in execution order (op index, then name)
   */
  public record ClassProfile(String hardwareClass, int devices, Instant lastProfiledAt, double totalMedianMicros,
      List<OpEntry> ops) {}

  /**
   * @param opIndex operator index as the runtime reported it
   * @param op operator name as the runtime reported it
   * @param devices devices whose profile has this operator
   * @param medianMicros median over those devices of each device's median time per run
   * @param minMicros fastest device's median
   * @param maxMicros slowest device's median
   * @param share {@code medianMicros} over {@link ClassProfile#totalMedianMicros()}
   */
  public record OpEntry(int opIndex, String op, int devices, double medianMicros, double minMicros,
      double maxMicros, double share) {}
}
