package io.edgefleet.controlplane.rollouts;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

/**
 * One rollout group of {@code POST /api/rollouts} ({@code groups}, canary first). Give either {@code percent} of the
 * matching devices or an absolute {@code count}; the last group always takes every device left.
 *
 * @param successThreshold fraction of the group's devices that must be RUNNING before the next group starts
 *     (default 1.0; a group whose devices are all done also completes unless the error threshold is breached)
 * @param errorThreshold fraction of FAILED devices tolerated; more triggers the rollout's breach action (default
 *     1.0 = never)
 */
public record GroupSpec(
    @Size(max = 64) String name,
    @DecimalMin(value = "0.0", inclusive = false) @DecimalMax("100.0") Double percent,
    @Min(1) Integer count,
    @DecimalMin("0.0") @DecimalMax("1.0") Double successThreshold,
    @DecimalMin("0.0") @DecimalMax("1.0") Double errorThreshold) {

  public double successOrDefault() {
    return successThreshold == null ? 1.0 : successThreshold;
  }

  public double errorOrDefault() {
    return errorThreshold == null ? 1.0 : errorThreshold;
  }

  /** The group of a rollout created without groups: every matching device. */
  public static GroupSpec all() {
    return new GroupSpec("all", 100.0, null, null, null);
  }
}
