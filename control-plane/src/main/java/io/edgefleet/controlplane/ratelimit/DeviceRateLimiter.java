package io.edgefleet.controlplane.ratelimit;

import io.edgefleet.controlplane.config.EdgefleetConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Per-device request limits on the device-facing API (hawkBit-style quotas): each device — or, before it is known,
 * each client address — gets its own token bucket, so one misbehaving or compromised device cannot starve the fleet's
 * polls. Buckets idle for longer than the refill time of a full bucket are dropped, so memory follows the active
 * fleet, not every id ever seen.
 */
@ApplicationScoped
public class DeviceRateLimiter {
  private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();
  private final boolean enabled;
  private final double ratePerSecond;
  private final int burst;
  private final LongSupplier nanoTime;
  private final AtomicLong lastEviction;
  private static final long EVICTION_PERIOD_NANOS = Duration.ofSeconds(60).toNanos();

  @Inject
  public DeviceRateLimiter(EdgefleetConfig config) {
    this(config.devices().rateLimit().enabled(), config.devices().rateLimit().requestsPerSecond(),
        config.devices().rateLimit().burst(), System::nanoTime);
  }

  DeviceRateLimiter(boolean enabled, double ratePerSecond, int burst, LongSupplier nanoTime) {
    this.enabled = enabled;
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.nanoTime = nanoTime;
    this.lastEviction = new AtomicLong(nanoTime.getAsLong());
  }

  /**
   * Charges one request to {@code key}.
   *
   * @return {@link Duration#ZERO} when allowed, else how long the caller should wait before retrying
   */
  public Duration acquire(String key) {
    if (!enabled) {
      return Duration.ZERO;
    }
    long now = nanoTime.getAsLong();
    long last = lastEviction.get();
    if (now - last > EVICTION_PERIOD_NANOS && lastEviction.compareAndSet(last, now)) {
      evictIdle(now);
    }
    long wait = buckets.computeIfAbsent(key, k -> new TokenBucket(burst, ratePerSecond, now)).tryTake(now);
    return Duration.ofNanos(wait);
  }

  /** Number of buckets held (for tests and metrics). */
  public int trackedKeys() {
    return buckets.size();
  }

  /**
   * Drops buckets that have been idle long enough to be full again (they carry no state worth keeping); runs at most
   * once a minute, from a request.
   */
  void evictIdle(long now) {
    long idleNanos = (long) Math.ceil(burst / ratePerSecond * 1e9);
    buckets.entrySet().removeIf(e -> now - e.getValue().lastUsedNanos() > idleNanos);
  }
}
