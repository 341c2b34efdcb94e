package io.edgefleet.simulator.fleet;

import java.util.concurrent.ScheduledFuture;

/**
 * The state of one simulated device. Mutated only by the simulator's device steps; a device has at most one step
 * scheduled or in flight at a time (registration, then a poll chain), plus its telemetry timer.
 */
final class SimulatedDevice {
  final int index;
  final String id;
  final SimulatedHardware hardware;
  final boolean verifiesDownloads;
  final String source;

  /** The device's own Ed25519 key (enrolment signatures); the private half never leaves the simulator. */
  final java.security.KeyPair key = io.edgefleet.schemas.signing.ArtifactSignatures.generateKeyPair();
  /** Device token from the last enrolment, null before it or after a 401. */
  volatile String token;
  volatile long tokenExpiresAtMillis;
  volatile String hardwareClass;
  volatile int pollIntervalSeconds;
  volatile String etag;
  /** Build of the latest assignment, null until one arrives. */
  volatile String buildKey;
  volatile String rolloutId;
  /** Build whose RUNNING feedback was acknowledged. */
  volatile String runningBuildKey;
  /** Rollout whose RUNNING feedback was acknowledged. */
  volatile String runningRolloutId;
  /** When the assignment of {@link #rolloutId} arrived / its RUNNING was acknowledged (epoch ms, 0 = not yet). */
  volatile long assignedAtMillis;
  volatile long runningAtMillis;
  volatile String failedBuildKey;
  volatile boolean registered;
  volatile boolean assigned;
  volatile ScheduledFuture<?> telemetryTimer;
  volatile long windowStartMillis;
  long sequence;

  SimulatedDevice(int index, String id, SimulatedHardware hardware, boolean verifiesDownloads, long firstSequence) {
    this.index = index;
    this.id = id;
    this.hardware = hardware;
    this.verifiesDownloads = verifiesDownloads;
    this.source = "edgefleet/fleet-simulator/" + id;
    this.sequence = firstSequence;
  }

  synchronized long nextSequence() {
    return sequence++;
  }
}
