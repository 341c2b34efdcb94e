package io.edgefleet.controlplane.rollouts;

import io.edgefleet.controlplane.devices.DeviceFilter;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * {@code POST /api/rollouts} body. Only name, modelId and maxAccuracyDrop are required; without {@code groups} the
 * rollout has one group of every matching device, without {@code gates} no telemetry gate holds it back.
 *
 * @param deviceFilter which devices (null = every registered device)
 * @param maxAccuracyDrop on-device smoke-test bound on top-1 agreement loss vs the float model (0..1)
 * @param groups rollout groups in order, canary first (null/empty = one group of every matching device)
 * @param gates SLO gates on the fleet telemetry of each group and build (null = none)
 * @param onBreach what to do when a group breaches its error threshold or a gate fails (default PAUSE)
 * @param dynamic whether devices registering later and matching the filter join the current group (default true)
 * @param autoStart start the first group right away (default true); false = an approval step: the rollout waits in
 *     CREATED for {@code POST /api/rollouts/{id}/start}
 * @param startAt when to start (a maintenance window); the rollout waits in CREATED until then and starts on its own.
 *     Not together with {@code autoStart=false}.
 */
public record CreateRolloutRequest(
    @NotBlank @Size(max = 128) String name,
    @NotBlank String modelId,
    DeviceFilter deviceFilter,
    @NotNull @DecimalMin("0.0") @DecimalMax("1.0") Double maxAccuracyDrop,
    @Size(max = 20) List<@Valid @NotNull GroupSpec> groups,
    @Valid Gates gates,
    BreachAction onBreach,
    Boolean dynamic,
    Boolean autoStart,
    java.time.Instant startAt) {

  /** Convenience constructor of the original (single-group, no gates) request. */
  public CreateRolloutRequest(String name, String modelId, DeviceFilter deviceFilter, Double maxAccuracyDrop) {
    this(name, modelId, deviceFilter, maxAccuracyDrop, null, null, null, null, null, null);
  }

  /**
   * SLO gates; a null bound disables the gate.
   *
   * @param maxAccuracyDrop fleet agreement with the float model must stay ≥ 1 − this
   * @param maxP95LatencyMicros bound on the fleet p95 latency (µs)
   * @param maxFailureRate bound on failed inferences / inferences
   * @param minSamples samples needed before a gate is evaluated (default 100)
   */
  public record Gates(
      @DecimalMin("0.0") @DecimalMax("1.0") Double maxAccuracyDrop,
      @DecimalMin(value = "0.0", inclusive = false) Double maxP95LatencyMicros,
      @DecimalMin("0.0") @DecimalMax("1.0") Double maxFailureRate,
      @Min(1) Long minSamples) {}
}
