package io.swarmcdn.origin.tracker.websocket;

import io.netty.channel.EventLoop;
import io.netty.util.internal.PlatformDependent;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The sockets of one event loop that have frames waiting in their queues: one task on that loop
 * writes them all. A relayed offer goes to a peer whose socket is usually served by another
 * event loop; a task (and possibly a wake-up) per target socket cost more than the relay itself
 * (JFR), while one per burst of messages from a loop is shared by all the sockets it reaches.
 */
final class Outbox {

  private final EventLoop loop;
  private final Queue<TrackerSocket> ready = PlatformDependent.newMpscQueue();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  Outbox(EventLoop loop) {
    this.loop = loop;
  }

  /** {@code socket} (of this loop) has frames queued: have them written soon. Any thread. */
  void add(TrackerSocket socket) {
    ready.add(socket);
    if (scheduled.compareAndSet(false, true)) {
      try {
        loop.execute(this::drain);
      } catch (RejectedExecutionException e) {
        // The event loop is shutting down, and its connections with it.
        TrackerSocket discarded;
        while ((discarded = ready.poll()) != null) {
          discarded.discardQueued();
        }
      }
    }
  }

  private void drain() {
    // Cleared before polling: a socket added after this point schedules a drain of its own.
    scheduled.set(false);
    TrackerSocket socket;
    while ((socket = ready.poll()) != null) {
      socket.drain();
    }
  }
}
