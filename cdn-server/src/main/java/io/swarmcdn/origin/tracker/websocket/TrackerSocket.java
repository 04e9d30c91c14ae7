package io.swarmcdn.origin.tracker.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.internal.PlatformDependent;
import io.swarmcdn.origin.tracker.swarm.PeerId;
import io.swarmcdn.torrent.metainfo.InfoHash;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.web.reactive.socket.CloseStatus;

/**
 * One client connection of the WebSocket tracker: its bounded outbound queue, the swarms it
 * takes part in, and the offers forwarded to it that it may still answer.
 *
 * <p>Any thread may {@link #send} (offers and answers arrive from other sockets' threads); the
 * rest is touched by this socket's own inbound processing and by the sweeper, under this
 * object's lock.
 *
 * <p>Messages go through a per-socket queue drained on the channel's event loop (through its
 * {@link Outbox}), which writes all that is queued and flushes once: under load one syscall
 * carries many frames instead of one flush per message.
 */
final class TrackerSocket {

  private final TrackerUpgradeStrategy.TrackerSession session;
  private final Channel channel;
  /** Where this socket goes when it has frames to write (its event loop's). */
  private final Outbox outbox;
  private final long maxQueuedBytes;
  private final int maxPendingOffers;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Many senders (any event loop), one consumer (this channel's): Netty's MPSC queue. */
  private final Queue<TextWebSocketFrame> queued = PlatformDependent.newMpscQueue();
  /** Bytes in {@link #queued}, not yet handed to Netty (which counts them from then on). */
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final Map<InfoHash, PeerId> memberships = new HashMap<>();
  private final LinkedHashMap<PendingOffer, Long> pendingOffers = new LinkedHashMap<>();
  private final TokenBucket messageRate;
  private volatile long lastActivityNanos;
  private volatile long closedAtNanos;

  /** An offer forwarded to this socket: it may answer it once, before it expires. */
  record PendingOffer(InfoHash infoHash, PeerId offerer, String offerId) {

    /**
     * From the two strings' cached hashes only: an info-hash hashes its 20 bytes on every call,
     * and this key is hashed once per relayed offer and once per answer.
     */
    @Override
    public int hashCode() {
      return 31 * offerId.hashCode() + offerer.hashCode();
    }
  }

  TrackerSocket(
      TrackerUpgradeStrategy.TrackerSession session,
      long maxQueuedBytes,
      int maxPendingOffers,
      TokenBucket messageRate,
      long nowNanos,
      Outbox outbox) {
    this.session = session;
    this.channel = session.channel();
    this.outbox = outbox;
    this.maxQueuedBytes = maxQueuedBytes;
    this.maxPendingOffers = maxPendingOffers;
    this.messageRate = messageRate;
    this.lastActivityNanos = nowNanos;
  }

  /** Queues a message for the client; see {@link #send(ByteBuf)}. */
  boolean send(String json) {
    if (closed.get()) {
      return false;
    }
    // A heap buffer, as RelayMessages explains.
    return send(Unpooled.wrappedBuffer(json.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Queues a message for the client; takes ownership of {@code json} (UTF-8 JSON text).
   *
   * @return false if the socket is closed, or if the client has fallen so far behind that its
   *     queue would exceed the bound: then the connection is dropped instead of buffering more
   */
  boolean send(ByteBuf json) {
    ChannelOutboundBuffer queue = channel.unsafe().outboundBuffer();
    if (closed.get() || queue == null) { // null: the channel is closed
      json.release();
      return false;
    }
    int size = json.readableBytes();
    // Netty's pending bytes include writes submitted from other threads and not yet run (it
    // counts them on submission); ours cover frames still in this socket's queue.
    if (queue.totalPendingWriteBytes() + queuedBytes.get() + size > maxQueuedBytes) {
      json.release();
      abort();
      return false;
    }
    queuedBytes.addAndGet(size);
    queued.add(new TextWebSocketFrame(json));
    scheduleDrain();
    return true;
  }

  private void scheduleDrain() {
    if (drainScheduled.compareAndSet(false, true)) {
      outbox.add(this);
    }
  }

  /** On the event loop: hands every queued frame to Netty, then flushes once. */
  void drain() {
    // Cleared before polling: a frame queued after this point schedules a drain of its own.
    drainScheduled.set(false);
    boolean wrote = false;
    TextWebSocketFrame frame;
    while ((frame = queued.poll()) != null) {
      int size = frame.content().readableBytes();
      channel.write(frame, channel.voidPromise());
      queuedBytes.addAndGet(-size);
      wrote = true;
    }
    if (wrote) {
      channel.flush();
    }
  }

  void discardQueued() {
    TextWebSocketFrame frame;
    while ((frame = queued.poll()) != null) {
      queuedBytes.addAndGet(-frame.content().readableBytes());
      frame.release();
    }
  }

  /** Closes the connection with a close frame; idempotent. */
  void close(CloseStatus status) {
    if (markClosed()) {
      // Behind the queue, so that messages sent before (such as a failure reason) precede the
      // close frame.
      try {
        channel
            .eventLoop()
            .execute(
                () -> {
                  drain();
                  session.close(status).subscribe(null, error -> {});
                });
      } catch (RejectedExecutionException e) {
        discardQueued();
      }
    }
  }

  /**
   * Drops the connection at once, without a close frame: for a client that does not read, a
   * close frame would wait forever behind the data it does not read.
   */
  void abort() {
    markClosed();
    session.abort();
  }

  /**
   * The connection has ended: stop sending. Nothing is written to it any more, not even a close
   * frame (Reactor Netty would re-signal the end to the finished receiver, as a dropped error).
   */
  void ended() {
    markClosed();
    if (channel.eventLoop().inEventLoop()) {
      // The runtime is closing the connection right after this (a refused frame): write what
      // was sent before, such as the failure reason, now rather than in a later drain.
      drain();
    }
  }

  private boolean markClosed() {
    if (!closed.compareAndSet(false, true)) {
      return false;
    }
    closedAtNanos = System.nanoTime();
    return true;
  }

  /** Whether close() was called before {@code cutoffNanos} and the connection is still here. */
  boolean closeStuckSince(long cutoffNanos) {
    return closed.get() && closedAtNanos - cutoffNanos < 0;
  }

  void touch(long nowNanos) {
    lastActivityNanos = nowNanos;
  }

  boolean idleSince(long cutoffNanos) {
    return lastActivityNanos - cutoffNanos < 0;
  }

  /** Takes a token for one message; false if the client sends faster than allowed. */
  boolean tryAcquireMessage(long nowNanos) {
    return messageRate.tryAcquire(nowNanos);
  }

  /** The peer id this socket uses in that swarm, or null. */
  synchronized PeerId membership(InfoHash infoHash) {
    return memberships.get(infoHash);
  }

  synchronized int membershipCount() {
    return memberships.size();
  }

  synchronized void join(InfoHash infoHash, PeerId peerId) {
    memberships.put(infoHash, peerId);
  }

  synchronized void leave(InfoHash infoHash) {
    memberships.remove(infoHash);
  }

  /** Forgets all memberships and returns them (the socket is closing). */
  synchronized Map<InfoHash, PeerId> leaveAll() {
    Map<InfoHash, PeerId> all = Map.copyOf(memberships);
    memberships.clear();
    pendingOffers.clear();
    return all;
  }

  /** Remembers an offer forwarded to this socket; the oldest is forgotten beyond the bound. */
  synchronized void offerForwarded(PendingOffer offer, long expiresAtNanos) {
    pendingOffers.put(offer, expiresAtNanos);
    if (pendingOffers.size() > maxPendingOffers) {
      Iterator<PendingOffer> oldest = pendingOffers.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
  }

  /** Consumes a pending offer; false if it was never forwarded here, answered, or expired. */
  synchronized boolean takeOffer(PendingOffer offer, long nowNanos) {
    Long expiresAt = pendingOffers.remove(offer);
    return expiresAt != null && expiresAt - nowNanos > 0;
  }

  /** Drops expired offers (they are in expiry order: all share one lifetime). */
  synchronized void expireOffers(long nowNanos) {
    Iterator<Long> oldest = pendingOffers.values().iterator();
    while (oldest.hasNext() && oldest.next() - nowNanos <= 0) {
      oldest.remove();
    }
  }
}
