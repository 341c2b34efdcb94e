package io.edgefleet.controlplane.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DeviceRateLimiterTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final DeviceRateLimiter limiter = new DeviceRateLimiter(true, 2.0, 3, now::get);

  @Test
  void shouldAllowTheBurstThenAskToWaitForTheNextToken() {
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.acquire("device:a")).isZero();
    }

    assertThat(limiter.acquire("device:a")).isEqualTo(Duration.ofMillis(500));
    now.addAndGet(Duration.ofMillis(500).toNanos());
    assertThat(limiter.acquire("device:a")).isZero();
    assertThat(limiter.acquire("device:a")).isPositive();
  }

  @Test
  void shouldKeepDevicesIndependent() {
    for (int i = 0; i < 3; i++) {
      limiter.acquire("device:noisy");
    }

    assertThat(limiter.acquire("device:noisy")).isPositive();
    assertThat(limiter.acquire("device:quiet")).isZero();
  }

  @Test
  void shouldRefillToCapacityOnlyAndForgetIdleDevices() {
    limiter.acquire("device:a");
    now.addAndGet(Duration.ofHours(1).toNanos());
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.acquire("device:b")).isZero();
    }
    assertThat(limiter.trackedKeys()).as("device:a idle for an hour is evicted").isEqualTo(1);

    for (int i = 0; i < 3; i++) {
      assertThat(limiter.acquire("device:a")).isZero();
    }
    assertThat(limiter.acquire("device:a")).as("an hour idle refills to the burst, not beyond").isPositive();
  }

  @Test
  void shouldAllowEverythingWhenDisabled() {
    DeviceRateLimiter off = new DeviceRateLimiter(false, 1.0, 1, now::get);

    for (int i = 0; i < 100; i++) {
      assertThat(off.acquire("device:a")).isZero();
    }
  }
}
