package io.edgefleet.controlplane.rollouts;

import io.edgefleet.controlplane.devices.DeviceFilter;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /api/rollouts} body.
 *
 * @param deviceFilter which devices (null = every registered device)
 * @param maxAccuracyDrop on-device smoke-test bound on top-1 agreement loss vs the float model (0..1)
 */
public record CreateRolloutRequest(
    @NotBlank @Size(max = 128) String name,
    @NotBlank String modelId,
    DeviceFilter deviceFilter,
    @NotNull @DecimalMin("0.0") @DecimalMax("1.0") Double maxAccuracyDrop) {}
