package io.edgefleet.simulator.bench;

/**
 * Figures of one fleet size. Durations in milliseconds, -1 when the milestone was not reached before the phase
 * timeout (then the matching {@code …Reached} count says how far it got).
 *
 * @param devices simulated devices
 * @param registrationMillis from the first registration request to the last device registered
 * @param registrationsPerSecond devices / registration time
 * @param prebuildMillis canary rollout (one device per hardware class) until those run: the builds' quantization
 *     time; -1 without --prebuild (then the builds are part of the measured rollout)
 * @param rolloutCreateMillis latency of {@code POST /api/rollouts} (resolves and persists every target)
 * @param rolloutError why {@code POST /api/rollouts} failed, null when it succeeded (then no rollout figure exists)
 * @param firstAssignedMillis from the rollout's creation until the first device has its assignment (≈ the first
 *     per-class build is quantized by the worker and the control plane has assigned it)
 * @param assignedMillis from the rollout's creation until every device has received its assignment (device side)
 * @param assignedReached devices that had their assignment when the phase ended
 * @param runningMillis from the rollout's creation until every device's RUNNING feedback was acknowledged by Kafka
 * @param runningReached devices running when the phase ended
 * @param controlPlaneRunningMillis from the rollout's creation until the control plane's rollout counts every device
 *     RUNNING (i.e. the feedback was consumed)
 * @param controlPlaneRunningReached devices the control plane counted RUNNING when the phase ended
 * @param maxFeedbackLag max consumer lag of group edgefleet-control-plane on fleet.device.feedback after the rollout
 * @param maxTelemetryLag same on fleet.telemetry
 * @param apiTargetRate load generator rate (req/s) on the assignment endpoint, from a second JVM
 * @param apiAchievedRate requests/s it could issue
 * @param apiP50Micros assignment endpoint p50 (from the intended send time)
 * @param apiP99Micros assignment endpoint p99
 * @param apiErrors failed or unexpected answers during the load test
 * @param fleetPollsPerSecond background assignment polls of the simulated fleet itself (server-set interval)
 * @param isolatedAchievedRate requests/s of the same load generator run with the simulated fleet stopped
 * @param isolatedP50Micros assignment endpoint p50 with the fleet stopped
 * @param isolatedP99Micros assignment endpoint p99 with the fleet stopped
 * @param postgresBytes pg_database_size at the end
 * @param controlPlaneRssBytes control plane resident memory at the end
 * @param controlPlanePeakRssBytes control plane peak resident memory (VmHWM)
 * @param telemetryDevices devices counted by GET /api/telemetry/summary at the end
 */
public record ScaleResult(
    int devices,
    long registrationMillis,
    double registrationsPerSecond,
    long prebuildMillis,
    long rolloutCreateMillis,
    String rolloutError,
    long firstAssignedMillis,
    long assignedMillis,
    int assignedReached,
    long runningMillis,
    int runningReached,
    long controlPlaneRunningMillis,
    int controlPlaneRunningReached,
    long maxFeedbackLag,
    long maxTelemetryLag,
    double apiTargetRate,
    double apiAchievedRate,
    long apiP50Micros,
    long apiP99Micros,
    long apiErrors,
    double fleetPollsPerSecond,
    double isolatedAchievedRate,
    long isolatedP50Micros,
    long isolatedP99Micros,
    long postgresBytes,
    long controlPlaneRssBytes,
    long controlPlanePeakRssBytes,
    int telemetryDevices) {}
