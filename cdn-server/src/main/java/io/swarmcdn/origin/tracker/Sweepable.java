package io.swarmcdn.origin.tracker;

/** Tracker state with deadlines (peers, offers, idle sockets) that {@link TrackerSweeper} expires. */
public interface Sweepable {

  /** Drops whatever has expired by {@code nowNanos} ({@link System#nanoTime()} scale). */
  void sweep(long nowNanos);
}
