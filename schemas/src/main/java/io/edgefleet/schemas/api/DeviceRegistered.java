package io.edgefleet.schemas.api;

/**
 * Response to a registration.
 *
 * @param hardwareClass the class the control plane computed
 * @param pollIntervalSeconds how often the device should ask for its assignment
 */
public record DeviceRegistered(String deviceId, String hardwareClass, int pollIntervalSeconds) {}
