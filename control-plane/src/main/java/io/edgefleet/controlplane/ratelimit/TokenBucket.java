package io.edgefleet.controlplane.ratelimit;

/**
 * A token bucket: {@code capacity} tokens, refilled continuously at {@code ratePerSecond}. One request takes one
 * token. Thread-safe; time comes from the caller (nanoseconds of a monotonic clock) so it can be tested exactly.
 */
final class TokenBucket {
  private final double capacity;
  private final double ratePerNano;
  private double tokens;
  private long lastNanos;
  private volatile long lastUsedNanos;

  TokenBucket(double capacity, double ratePerSecond, long nowNanos) {
    if (capacity < 1 || ratePerSecond <= 0) {
      throw new IllegalArgumentException("capacity must be >= 1 and rate > 0, got " + capacity + ", " + ratePerSecond);
    }
    this.capacity = capacity;
    this.ratePerNano = ratePerSecond / 1e9;
    this.tokens = capacity;
    this.lastNanos = nowNanos;
    this.lastUsedNanos = nowNanos;
  }

  /** Takes a token if one is available and returns 0; otherwise returns the nanoseconds until one will be. */
  synchronized long tryTake(long nowNanos) {
    if (nowNanos > lastNanos) {
      tokens = Math.min(capacity, tokens + (nowNanos - lastNanos) * ratePerNano);
      lastNanos = nowNanos;
    }
    lastUsedNanos = nowNanos;
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return (long) Math.ceil((1 - tokens) / ratePerNano);
  }

  long lastUsedNanos() {
    return lastUsedNanos;
  }
}
