package io.swarmcdn.origin.tracker.load;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Lock-free latency histogram with log-spaced buckets (about 4 % wide, from 1 µs to ~100 s), good
 * enough for percentiles of relay latencies recorded from several event-loop threads.
 */
final class LatencyHistogram {

  private static final double GROWTH = 1.04;
  private static final int BUCKETS = 480;

  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

  void record(long nanos) {
    double micros = Math.max(1.0, nanos / 1000.0);
    int bucket = (int) Math.min(BUCKETS - 1, Math.floor(Math.log(micros) / Math.log(GROWTH)));
    counts.incrementAndGet(bucket);
  }

  long count() {
    long total = 0;
    for (int i = 0; i < BUCKETS; i++) {
      total += counts.get(i);
    }
    return total;
  }

  /** The upper bound, in milliseconds, of the bucket holding the given quantile (0..1). */
  double quantileMillis(double quantile) {
    long total = count();
    if (total == 0) {
      return Double.NaN;
    }
    long rank = (long) Math.ceil(quantile * total);
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts.get(i);
      if (seen >= rank) {
        return Math.pow(GROWTH, i + 1) / 1000.0;
      }
    }
    return Math.pow(GROWTH, BUCKETS) / 1000.0;
  }

  void reset() {
    for (int i = 0; i < BUCKETS; i++) {
      counts.set(i, 0);
    }
  }
}
