package io.swarmcdn.torrent.engine;

/**
 * Bytes per second over the last few seconds: bytes are counted as they pass and folded into an
 * exponentially weighted average on each sample (the engine samples on its ticks, at least
 * {@link #MIN_SAMPLE_MILLIS} apart). Int arithmetic on the hot path; the long total is only
 * touched by {@link #add}.
 */
final class RateMeter {

    static final int MIN_SAMPLE_MILLIS = 500;

    private long total;
    private int pending;
    private long lastSample = -1;
    private int rate;

    void add(int bytes) {
        pending += bytes;
        total += bytes;
    }

    /** Folds the bytes counted since the last sample into the rate. */
    void sample(long nowMillis) {
        if (lastSample < 0) {
            lastSample = nowMillis;
            return;
        }
        long elapsed = nowMillis - lastSample;
        if (elapsed < MIN_SAMPLE_MILLIS) {
            return;
        }
        int current = (int) Math.min(Integer.MAX_VALUE, pending * 1000L / elapsed);
        // Weight 1/2: reacts within a couple of seconds, smooth enough for choking decisions.
        rate = rate == 0 ? current : (rate + current) >>> 1;
        pending = 0;
        lastSample = nowMillis;
    }

    int rate() {
        return rate;
    }

    long total() {
        return total;
    }
}
