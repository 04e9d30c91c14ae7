package io.swarmcdn.origin.tracker;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the trackers: open WebSocket connections, offers and answers relayed, rejections
 * by reason. Swarm and peer figures come from {@link
 * io.swarmcdn.origin.tracker.swarm.SwarmCensus}.
 */
public final class TrackerStats {

  private final AtomicInteger openSockets = new AtomicInteger();
  private final LongAdder offersRelayed = new LongAdder();
  private final LongAdder answersRelayed = new LongAdder();
  private final Map<RejectReason, LongAdder> rejected = new EnumMap<>(RejectReason.class);

  public TrackerStats() {
    for (RejectReason reason : RejectReason.values()) {
      rejected.put(reason, new LongAdder());
    }
  }

  /**
   * Counts a new connection unless {@code max} are already open.
   *
   * @return false (and nothing counted) if the tracker is full
   */
  public boolean tryOpenSocket(int max) {
    while (true) {
      int open = openSockets.get();
      if (open >= max) {
        return false;
      }
      if (openSockets.compareAndSet(open, open + 1)) {
        return true;
      }
    }
  }

  public void socketClosed() {
    openSockets.decrementAndGet();
  }

  public int openSockets() {
    return openSockets.get();
  }

  public void offerRelayed() {
    offersRelayed.increment();
  }

  public void answerRelayed() {
    answersRelayed.increment();
  }

  public void rejected(RejectReason reason) {
    rejected.get(reason).increment();
  }

  public long offersRelayed() {
    return offersRelayed.sum();
  }

  public long answersRelayed() {
    return answersRelayed.sum();
  }

  public long rejectedCount(RejectReason reason) {
    return rejected.get(reason).sum();
  }
}
