package io.swarmcdn.origin.tracker.websocket;

/**
 * Classic token bucket: {@code burst} tokens at most, refilled at {@code ratePerSecond}. Used by
 * one socket's inbound processing only, on its channel's event loop, so it needs no lock.
 */
final class TokenBucket {

  private final double ratePerNano;
  private final double burst;
  private double tokens;
  private long lastNanos;

  TokenBucket(double ratePerSecond, int burst, long nowNanos) {
    this.ratePerNano = ratePerSecond / 1e9;
    this.burst = burst;
    this.tokens = burst;
    this.lastNanos = nowNanos;
  }

  boolean tryAcquire(long nowNanos) {
    tokens = Math.min(burst, tokens + (nowNanos - lastNanos) * ratePerNano);
    lastNanos = nowNanos;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
