package io.edgefleet.schemas.events;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A batch of on-device inference measurements. Type {@code fleet.telemetry.inference.v1}, topic
 * {@link io.edgefleet.schemas.Topics#TELEMETRY}, key device id.
 *
 * @param sequence per-device monotonically increasing batch number (lets consumers drop replays)
 * @param hardwareClass the device's hardware class id
 * @param labelledCount inferences whose label was known
 * @param correctCount of those, how many had the right top-1
 * @param referenceCount inferences for which the float reference output was known
 * @param agreementCount of those, how many had the float model's top-1
 * @param errorCount inferences that failed or produced non-finite output
 * @param threads interpreter threads used
 * @param opProfile per-operator times of the served build from the device's periodic profile, in execution order;
 *     null in batches that carry no profile (the profile is optional and sampled rarely; older producers never send
 *     it). Profiled runs are not part of {@code latency}.
 */
public record InferenceTelemetry(
    String deviceId,
    long sequence,
    String buildKey,
    String rolloutId,
    String hardwareClass,
    Instant windowStart,
    Instant windowEnd,
    LatencyStats latency,
    long labelledCount,
    long correctCount,
    long referenceCount,
    long agreementCount,
    long errorCount,
    int threads,
    List<OpTiming> opProfile)
    implements DeviceEvent {

  public InferenceTelemetry {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(buildKey, "buildKey");
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(windowStart, "windowStart");
    Objects.requireNonNull(windowEnd, "windowEnd");
    opProfile = opProfile == null ? null : List.copyOf(opProfile);
  }
}
