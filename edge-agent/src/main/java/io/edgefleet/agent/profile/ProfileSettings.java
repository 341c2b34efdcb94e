package io.edgefleet.agent.profile;

import java.time.Duration;
import java.util.Objects;

/**
 * The optional periodic per-operator profile of the served model ({@code profile.*} keys).
 *
 * @param interval time between two profiles; zero disables profiling
 * @param runs profiled inferences per profile (after two unrecorded warm-up runs)
 * @param kernels which kernels the profile runs on
 */
public record ProfileSettings(Duration interval, int runs, ProfileKernels kernels) {
  public static final int MAX_RUNS = 1000;

  public ProfileSettings {
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(kernels, "kernels");
    if (interval.isNegative()) {
      throw new IllegalArgumentException("profile interval must not be negative, got " + interval);
    }
    if (runs < 1 || runs > MAX_RUNS) {
      throw new IllegalArgumentException("profile runs must be in 1.." + MAX_RUNS + ", got " + runs);
    }
  }

  /** Profiling off. */
  public static ProfileSettings off() {
    return new ProfileSettings(Duration.ZERO, 20, ProfileKernels.SERVING);
  }

  public boolean enabled() {
    return !interval.isZero();
  }
}
