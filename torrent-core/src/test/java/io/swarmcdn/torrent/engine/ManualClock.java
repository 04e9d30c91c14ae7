package io.swarmcdn.torrent.engine;

/** A clock the test moves by hand, so timeouts and choking rounds are deterministic. */
final class ManualClock implements Clock {

    long now = 1_000;

    @Override
    public long nowMillis() {
        return now;
    }

    void advance(long ms) {
        now += ms;
    }
}
