package io.swarmcdn.origin.tracker.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledUnsafeHeapByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.swarmcdn.origin.tracker.swarm.PeerId;
import io.swarmcdn.torrent.metainfo.InfoHash;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.web.reactive.socket.CloseStatus;

/**
 * One client connection of the WebSocket tracker: its bounded outbound queue, the swarms it
 * takes part in, and the offers forwarded to it that it may still answer.
 *
 * <p>Any thread may {@link #send} (offers and answers arrive from other sockets' threads); the
 * rest is touched by this socket's own inbound processing and by the sweeper, under this
 * object's lock.
 *
 * <p>A message is encoded as a complete WebSocket frame (RFC 6455 section 5.2: a server's frames
 * are not masked) straight into one buffer per socket, {@link #pending}, which the channel's
 * event loop hands to Netty whole (through its {@link Outbox}) and flushes once: one copy per
 * relayed message, one buffer and one syscall per socket and burst, whatever the number of
 * frames. The buffer passes the pipeline's frame encoder untouched (it encodes frame objects
 * only); frames that Reactor Netty writes itself, such as a close frame, are written behind it.
 */
final class TrackerSocket {

  /** FIN and the text opcode: every message fits in one frame. */
  private static final int FIN_TEXT = 0x81;
  /** A first buffer holds a few relayed offers (about 700 bytes each) without growing. */
  private static final int INITIAL_PENDING_BYTES = 4096;

  /** What {@link #append} did: nothing (the bound), a first frame, a frame behind others. */
  private static final int OVERFLOW = 0;

  private static final int FIRST = 1;
  private static final int BEHIND_OTHERS = 2;

  private final TrackerUpgradeStrategy.TrackerSession session;
  private final Channel channel;
  /** Where this socket goes when it has frames to write (its event loop's). */
  private final Outbox outbox;
  private final long maxQueuedBytes;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Guards {@link #pending}; not this object, whose lock other threads take for offers. */
  private final Object output = new Object();
  /**
   * Encoded frames not yet handed to Netty (which counts them from then on), or null when there
   * are none: an idle peer holds no buffer. On the heap, allocated by whichever thread sends
   * first: the transport copies it into a direct buffer of the channel's own event loop when it
   * is written. A pooled direct buffer taken on one loop and released on another made the pool
   * allocate and zero fresh chunks all the time (profile).
   */
  private ByteBuf pending;
  private final Map<InfoHash, PeerId> memberships = new HashMap<>();
  private final PendingOffers pendingOffers;
  private final TokenBucket messageRate;
  private volatile long lastActivityNanos;
  private volatile long closedAtNanos;

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
    this.pendingOffers = new PendingOffers(maxPendingOffers);
    this.messageRate = messageRate;
    this.lastActivityNanos = nowNanos;
  }

  /** Queues a message for the client; see {@link #send(OutboundText)}. */
  boolean send(String json) {
    return send(new Utf8(json.getBytes(StandardCharsets.UTF_8)));
  }

  /** A reply built as a String (announce replies, failures, scrapes). */
  private record Utf8(byte[] bytes) implements OutboundText {

    @Override
    public int length() {
      return bytes.length;
    }

    @Override
    public void writeTo(ByteBuf out) {
      out.writeBytes(bytes);
    }
  }

  /**
   * Queues a message for the client, as one text frame.
   *
   * @return false if the socket is closed, or if the client has fallen so far behind that its
   *     queue would exceed the bound: then the connection is dropped instead of buffering more
   */
  boolean send(OutboundText message) {
    ChannelOutboundBuffer queue = channel.unsafe().outboundBuffer();
    if (closed.get() || queue == null) { // null: the channel is closed
      return false;
    }
    int appended;
    synchronized (output) {
      appended = append(message, queue);
    }
    if (appended == OVERFLOW) {
      abort(); // outside the lock: closing runs the socket's end, which drains
      return false;
    }
    if (appended == FIRST) {
      outbox.add(this);
    }
    return true;
  }

  /** Under the output lock: {@code message} as a frame at the end of {@link #pending}. */
  private int append(OutboundText message, ChannelOutboundBuffer queue) {
    int length = message.length();
    int frameLength = frameLength(length);
    int queued = pending == null ? 0 : pending.readableBytes();
    // Netty's pending bytes include what was handed to it and is not written yet.
    if (queue.totalPendingWriteBytes() + queued + frameLength > maxQueuedBytes) {
      return OVERFLOW;
    }
    int appended = BEHIND_OTHERS;
    if (pending == null) {
      // Not Unpooled.buffer(): its allocator counts every array in a LongAdder that all event
      // loops update, a tenth of the tracker's samples under load (profile).
      pending =
          new UnpooledUnsafeHeapByteBuf(
              channel.alloc(), Math.max(INITIAL_PENDING_BYTES, frameLength), Integer.MAX_VALUE);
      appended = FIRST;
    }
    writeHeader(pending, length);
    message.writeTo(pending);
    return appended;
  }

  /** The bytes of an unmasked frame with a payload of {@code length} bytes. */
  static int frameLength(int length) {
    return (length < 126 ? 2 : length <= 0xffff ? 4 : 10) + length;
  }

  /**
   * The header of a final, unmasked text frame with a payload of {@code length} bytes (RFC 6455
   * section 5.2: FIN, opcode, the payload length in its shortest form).
   */
  static void writeHeader(ByteBuf out, int length) {
    // One write per header, not one per byte: each write checks and may grow the buffer.
    if (length < 126) {
      out.writeShort(FIN_TEXT << 8 | length);
    } else if (length <= 0xffff) {
      out.writeInt(FIN_TEXT << 24 | 126 << 16 | length);
    } else {
      out.writeShort(FIN_TEXT << 8 | 127).writeLong(length);
    }
  }

  /** On the event loop: hands the pending frames to Netty and flushes. */
  void drain() {
    synchronized (output) {
      ByteBuf frames = pending;
      if (frames == null) {
        return;
      }
      pending = null; // before the write, which may end the connection and so drain again
      // Under the lock: a sender counts these bytes in Netty's queue or in ours, never neither.
      channel.write(frames, channel.voidPromise());
    }
    channel.flush();
  }

  void discardQueued() {
    synchronized (output) {
      if (pending != null) {
        pending.release();
        pending = null;
      }
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
    // Unchanged on most announces: then the map, which outlives many young collections, keeps
    // its peer id rather than get this announce's (a reference from old to young objects, which
    // each young collection scans).
    if (!peerId.equals(memberships.get(infoHash))) {
      memberships.put(infoHash, peerId);
    }
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

  /**
   * Remembers an offer of {@code offerer} forwarded to this socket, which may answer it once
   * before it expires; the oldest is forgotten beyond the bound.
   */
  synchronized void offerForwarded(
      InfoHash infoHash, PeerId offerer, String offerId, long expiresAtNanos) {
    pendingOffers.add(infoHash, offerer, offerId, expiresAtNanos);
  }

  /** Consumes a pending offer; false if it was never forwarded here, answered, or expired. */
  synchronized boolean takeOffer(InfoHash infoHash, PeerId offerer, String offerId, long nowNanos) {
    return pendingOffers.take(infoHash, offerer, offerId, nowNanos);
  }

  /** Drops expired offers. */
  synchronized void expireOffers(long nowNanos) {
    pendingOffers.expire(nowNanos);
  }
}
