package io.edgefleet.controlplane.devices;

/** CDI event fired after a device (re-)registration commits; dynamic rollouts use it to enrol the device. */
public record DeviceRegisteredEvent(String deviceId, boolean created) {}
