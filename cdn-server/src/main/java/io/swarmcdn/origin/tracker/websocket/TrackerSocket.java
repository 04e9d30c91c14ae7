package io.swarmcdn.origin.tracker.websocket;

import io.swarmcdn.origin.tracker.swarm.PeerId;
import io.swarmcdn.torrent.metainfo.InfoHash;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * One client connection of the WebSocket tracker: its bounded outbound queue, the swarms it
 * takes part in, and the offers forwarded to it that it may still answer.
 *
 * <p>Any thread may {@link #send} (offers and answers arrive from other sockets' threads); the
 * rest is touched by this socket's own inbound processing and by the sweeper, under this
 * object's lock.
 */
final class TrackerSocket {

  private final WebSocketSession session;
  private final long maxQueuedChars;
  private final int maxPendingOffers;
  private final Sinks.Many<String> outbound =
      Sinks.many().unicast().onBackpressureBuffer(Queues.<String>unbounded().get());
  private final AtomicLong queuedChars = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Map<InfoHash, PeerId> memberships = new HashMap<>();
  private final LinkedHashMap<PendingOffer, Long> pendingOffers = new LinkedHashMap<>();
  private final TokenBucket announceRate;
  private volatile long lastActivityNanos;

  /** An offer forwarded to this socket: it may answer it once, before it expires. */
  record PendingOffer(InfoHash infoHash, PeerId offerer, String offerId) {}

  TrackerSocket(
      WebSocketSession session,
      long maxQueuedChars,
      int maxPendingOffers,
      TokenBucket announceRate,
      long nowNanos) {
    this.session = session;
    this.maxQueuedChars = maxQueuedChars;
    this.maxPendingOffers = maxPendingOffers;
    this.announceRate = announceRate;
    this.lastActivityNanos = nowNanos;
  }

  /** The messages to write to the client, in order, as the connection drains them. */
  Flux<WebSocketMessage> outbound() {
    return outbound
        .asFlux()
        .map(
            text -> {
              queuedChars.addAndGet(-text.length());
              return session.textMessage(text);
            });
  }

  /**
   * Queues a message for the client.
   *
   * @return false if the socket is closed, or if the client has fallen so far behind that the
   *     queue would exceed its bound: then the socket is closed (1008) instead of buffering more
   */
  boolean send(String json) {
    if (closed.get()) {
      return false;
    }
    if (queuedChars.addAndGet(json.length()) > maxQueuedChars) {
      close(CloseStatus.POLICY_VIOLATION.withReason("outbound buffer overflow: read faster"));
      return false;
    }
    Sinks.EmitResult result;
    // The unicast sink accepts one producer at a time; offers for this socket come from many.
    synchronized (outbound) {
      result = outbound.tryEmitNext(json);
    }
    return result.isSuccess();
  }

  /** Closes the connection; idempotent. */
  void close(CloseStatus status) {
    if (closed.compareAndSet(false, true)) {
      synchronized (outbound) {
        outbound.tryEmitComplete();
      }
      session.close(status).subscribe(null, error -> {});
    }
  }

  boolean isClosed() {
    return closed.get();
  }

  void touch(long nowNanos) {
    lastActivityNanos = nowNanos;
  }

  boolean idleSince(long cutoffNanos) {
    return lastActivityNanos - cutoffNanos < 0;
  }

  boolean tryAcquireAnnounce(long nowNanos) {
    return announceRate.tryAcquire(nowNanos);
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
