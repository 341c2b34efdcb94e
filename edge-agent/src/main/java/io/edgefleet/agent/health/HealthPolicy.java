package io.edgefleet.agent.health;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * When a newly activated build counts as healthy. During {@code window} after the switch, every inference of the
 * serving loop (warm-up included) is an attempt; an exception or a non-finite output is a failure. The build is
 * unhealthy as soon as at least {@code minInferences} attempts were made and the failure rate exceeds
 * {@code maxErrorRate}, or at the end of the window if the failure rate over the attempts made exceeds it or no
 * inference completed at all; it is healthy at the end of the window otherwise.
 *
 * @param window observation time after activation; zero disables the health check
 * @param minInferences attempts needed before the failure rate is judged inside the window
 * @param maxErrorRate tolerated fraction of failed or non-finite inferences, in [0, 1)
 */
public record HealthPolicy(Duration window, int minInferences, double maxErrorRate) {
  public HealthPolicy {
    Objects.requireNonNull(window, "window");
    if (window.isNegative()) {
      throw new IllegalArgumentException("window must not be negative: " + window);
    }
    if (minInferences < 1) {
      throw new IllegalArgumentException("minInferences must be >= 1: " + minInferences);
    }
    if (!(maxErrorRate >= 0 && maxErrorRate < 1)) {
      throw new IllegalArgumentException("maxErrorRate must be in [0, 1): " + maxErrorRate);
    }
  }

  public boolean enabled() {
    return !window.isZero();
  }

  /**
   * @param attempts inferences run since activation
   * @param failures of which failed or had non-finite outputs
   * @param elapsed time since activation
   */
  public HealthVerdict judge(long attempts, long failures, Duration elapsed) {
    if (attempts < 0 || failures < 0 || failures > attempts) {
      throw new IllegalArgumentException("inconsistent counts: " + failures + " failures of " + attempts + " attempts");
    }
    if (!enabled()) {
      return new HealthVerdict.Healthy(attempts, failures);
    }
    boolean windowOver = elapsed.compareTo(window) >= 0;
    if ((attempts >= minInferences || windowOver) && attempts > 0 && (double) failures / attempts > maxErrorRate) {
      return new HealthVerdict.Unhealthy(
          String.format(
              Locale.ROOT,
              "%d of %d inferences failed or had non-finite outputs (%.1f%% > %.1f%% allowed) within %ds of activation",
              failures, attempts, 100.0 * failures / attempts, 100.0 * maxErrorRate, Math.max(1, elapsed.toSeconds())));
    }
    if (!windowOver) {
      return HealthVerdict.Pending.INSTANCE;
    }
    if (attempts == 0) {
      return new HealthVerdict.Unhealthy("no inference completed within " + window.toSeconds() + "s of activation");
    }
    return new HealthVerdict.Healthy(attempts, failures);
  }
}
