package io.swarmcdn.torrent.engine;

/**
 * Milliseconds from an arbitrary origin, monotonic (never goes back). The JVM uses
 * {@code System.nanoTime() / 1_000_000}, the browser {@code performance.now()}; tests use a
 * manual clock so that timeouts and choking rounds are deterministic.
 */
@FunctionalInterface
public interface Clock {

    long nowMillis();
}
