package io.swarmcdn.origin.tracker.websocket;

import io.netty.channel.EventLoop;
import io.swarmcdn.origin.tracker.AllSwarmsScrape;
import io.swarmcdn.origin.tracker.RejectReason;
import io.swarmcdn.origin.tracker.Sweepable;
import io.swarmcdn.origin.tracker.TorrentAllowList;
import io.swarmcdn.origin.tracker.TrackerProperties;
import io.swarmcdn.origin.tracker.TrackerStats;
import io.swarmcdn.origin.tracker.swarm.PeerId;
import io.swarmcdn.origin.tracker.swarm.SwarmCensus;
import io.swarmcdn.origin.tracker.swarm.SwarmCounts;
import io.swarmcdn.origin.tracker.swarm.Swarms;
import io.swarmcdn.torrent.metainfo.InfoHash;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.web.reactive.socket.CloseStatus;

/**
 * The WebTorrent tracker: keeps WebSocket peers in swarms and relays WebRTC signalling between
 * them. The wire format follows bittorrent-tracker (see the project's PROTOCOL-NOTES.md) so that
 * stock WebTorrent works unchanged:
 *
 * <ul>
 *   <li>an announce is answered with {@code interval}, {@code complete}, {@code incomplete};
 *   <li>each of its offers goes to a different peer of the swarm chosen at random, never the
 *       sender;
 *   <li>an answer goes to {@code to_peer_id} and gets no reply of its own;
 *   <li>a closed socket stops all of its peers.
 * </ul>
 *
 * <p>Unlike the reference server, an answer is relayed only for an offer that was forwarded to
 * this very socket and has not expired, so a client cannot push answers at arbitrary peers.
 */
public final class WebSocketTracker implements Sweepable {

  /** How long a client may take to complete a close handshake before it is dropped. */
  private static final long CLOSE_GRACE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);

  private final Swarms<TrackerSocket> swarms;
  private final SwarmCensus census;
  private final TorrentAllowList allowList;
  private final AllSwarmsScrape scrapeAll;
  private final AllSwarmsScrape.Reply<String> scrapeAllReply;
  private final TrackerStats stats;
  private final TrackerProperties.WebSocket config;
  private final RequestParser parser;
  private final Set<TrackerSocket> sockets = ConcurrentHashMap.newKeySet();
  private final Map<EventLoop, Outbox> outboxes = new ConcurrentHashMap<>();

  public WebSocketTracker(
      SwarmCensus census,
      TorrentAllowList allowList,
      AllSwarmsScrape scrapeAll,
      TrackerStats stats,
      TrackerProperties limits) {
    this.config = limits.getWebsocket();
    this.swarms =
        new Swarms<>("websocket", limits.getMaxSwarms(), limits.getMaxPeersPerSwarm());
    census.register(swarms);
    this.census = census;
    this.allowList = allowList;
    this.scrapeAll = scrapeAll;
    this.scrapeAllReply = scrapeAll.reply(this::encodeScrapeAll);
    this.stats = stats;
    this.parser = new RequestParser(config.getMaxOffersPerAnnounce());
  }

  /** Registers a new connection, or returns null if the tracker holds its maximum of sockets. */
  TrackerSocket open(TrackerUpgradeStrategy.TrackerSession session) {
    if (!stats.tryOpenSocket(config.getMaxSockets())) {
      stats.rejected(RejectReason.TOO_MANY_SOCKETS);
      return null;
    }
    long now = System.nanoTime();
    TrackerSocket socket =
        new TrackerSocket(
            session,
            config.getOutboundBuffer().toBytes(),
            config.getMaxPendingOffersPerSocket(),
            new TokenBucket(config.getAnnounceRate(), config.getAnnounceBurst(), now),
            now,
            outboxes.computeIfAbsent(session.channel().eventLoop(), Outbox::new));
    sockets.add(socket);
    return socket;
  }

  /** The connection is gone: all of its peers stop (as with event {@code stopped}). */
  void onClose(TrackerSocket socket) {
    if (!sockets.remove(socket)) {
      return;
    }
    stats.socketClosed();
    socket.ended();
    for (Map.Entry<InfoHash, PeerId> membership : socket.leaveAll().entrySet()) {
      swarms.remove(membership.getKey(), membership.getValue(), socket);
    }
  }

  /**
   * A message bigger than the limit: counted, told with a {@code failure reason}, and the
   * connection ends.
   *
   * @param alreadyClosing the server runtime refused the frame itself and closes the connection
   *     as soon as this returns; only the failure reply may still be written
   */
  void onOversizedMessage(TrackerSocket socket, boolean alreadyClosing) {
    reject(
        socket,
        new RequestException(
            RejectReason.MESSAGE_TOO_LARGE,
            "message too large (at most " + config.getMaxMessageSize().toBytes() + " bytes)",
            null,
            null));
    if (alreadyClosing) {
      socket.ended();
    } else {
      socket.close(CloseStatus.TOO_BIG_TO_PROCESS.withReason("message too large"));
    }
  }

  /**
   * Handles one text message of the client, {@code bytes[start, end)} in UTF-8 (the array is
   * only read during the call). Never throws: a bad message gets a failure reply.
   */
  void onMessage(TrackerSocket socket, byte[] bytes, int start, int end) {
    long now = System.nanoTime();
    socket.touch(now);
    if (!socket.tryAcquireMessage(now)) {
      // Checked before parsing: a flood must cost as little as possible.
      reject(
          socket,
          new RequestException(
              RejectReason.RATE_LIMITED, "rate limit exceeded, slow down", null, null));
      return;
    }
    try {
      Request request = parser.parse(bytes, start, end);
      if (request instanceof Request.Announce) {
        announce(socket, (Request.Announce) request, now);
      } else if (request instanceof Request.Answer) {
        answer(socket, (Request.Answer) request, now);
      } else {
        scrape(socket, (Request.Scrape) request);
      }
    } catch (RequestException e) {
      reject(socket, e);
    } catch (JsonScanner.MalformedException e) {
      malformed(socket, bytes, start, end);
    }
  }

  /**
   * Not well-formed JSON: a failure reason, as before. If the text is not even UTF-8, RFC 6455
   * section 8.1 requires failing the connection (close code 1007) after it.
   */
  private void malformed(TrackerSocket socket, byte[] bytes, int start, int end) {
    if (JsonScanner.isUtf8(bytes, start, end)) {
      reject(socket, new RequestException(RejectReason.MALFORMED, "invalid JSON", null, null));
    } else {
      reject(socket, new RequestException(RejectReason.MALFORMED, "invalid UTF-8", null, null));
      socket.close(CloseStatus.BAD_DATA.withReason("invalid UTF-8"));
    }
  }

  private void announce(TrackerSocket socket, Request.Announce announce, long now) {
    InfoHash infoHash = announce.infoHash();
    requirePublished(infoHash, "announce");
    if (announce.event() == Request.Event.STOPPED) {
      PeerId own = socket.membership(infoHash);
      if (announce.peerId().equals(own)) {
        socket.leave(infoHash);
        swarms.remove(infoHash, own, socket);
      }
      socket.send(announceReply(infoHash));
      return;
    }
    PeerId previous = socket.membership(infoHash);
    if (previous == null && socket.membershipCount() >= config.getMaxSwarmsPerSocket()) {
      throw new RequestException(
          RejectReason.TOO_MANY_SWARMS, "too many torrents on one connection", infoHash, "announce");
    }
    if (previous != null && !previous.equals(announce.peerId())) {
      swarms.remove(infoHash, previous, socket); // the socket switched peer ids in this swarm
    }
    Swarms.Announced<TrackerSocket> announced;
    try {
      announced =
          swarms.announce(
              infoHash,
              announce.peerId(),
              socket,
              announce.seeder(),
              announce.event() == Request.Event.COMPLETED,
              now);
    } catch (Swarms.TooManySwarmsException e) {
      throw new RequestException(RejectReason.TOO_MANY_SWARMS, e.getMessage(), infoHash, "announce");
    }
    socket.join(infoHash, announce.peerId());
    if (announced.evicted() != null && announced.evicted() != socket) {
      announced.evicted().leave(infoHash);
    }
    socket.send(announceReply(infoHash));
    forwardOffers(announce, now);
  }

  /** Each offer to a different random peer; fewer peers than offers leaves offers unsent. */
  private void forwardOffers(Request.Announce announce, long now) {
    List<Request.Offer> offers = announce.offers();
    if (offers.isEmpty()) {
      return;
    }
    List<TrackerSocket> targets =
        swarms.sample(announce.infoHash(), offers.size(), announce.peerId());
    byte[] tail = RelayMessages.tail(announce.peerId(), announce.infoHash());
    long expiresAt = now + config.getOfferLifetime().toNanos();
    for (int i = 0; i < targets.size(); i++) {
      Request.Offer offer = offers.get(i);
      TrackerSocket target = targets.get(i);
      // Remember the offer before sending: the answer may come back at once.
      target.offerForwarded(announce.infoHash(), announce.peerId(), offer.offerId(), expiresAt);
      if (target.send(
          RelayMessages.offer(offer.offer(), offer.offerId(), tail))) {
        stats.offerRelayed();
      } else {
        stats.rejected(RejectReason.OUTBOUND_OVERFLOW);
      }
    }
  }

  private void answer(TrackerSocket socket, Request.Answer answer, long now) {
    InfoHash infoHash = answer.infoHash();
    requirePublished(infoHash, "announce");
    if (!socket.takeOffer(infoHash, answer.toPeerId(), answer.offerId(), now)) {
      throw new RequestException(
          RejectReason.UNKNOWN_OFFER, "no such offer (unknown or expired)", infoHash, "announce");
    }
    TrackerSocket target = swarms.get(infoHash, answer.toPeerId());
    if (target == null) {
      throw new RequestException(
          RejectReason.ANSWER_TARGET_GONE, "the offering peer has left", infoHash, "announce");
    }
    byte[] tail = RelayMessages.tail(answer.peerId(), infoHash);
    if (target.send(RelayMessages.answer(answer.answer(), answer.offerId(), tail))) {
      stats.answerRelayed();
    } else {
      stats.rejected(RejectReason.OUTBOUND_OVERFLOW);
    }
  }

  /**
   * Built by hand like {@link #announceReply}; a repeated info-hash is listed once. Without
   * info-hashes, the busiest torrents ({@link AllSwarmsScrape}), as bittorrent-tracker's server
   * answers a scrape without {@code info_hash} with all of its swarms.
   */
  private void scrape(TrackerSocket socket, Request.Scrape scrape) {
    if (scrape.infoHashes().isEmpty()) {
      socket.send(scrapeAllReply());
      return;
    }
    StringBuilder reply = new StringBuilder("{\"action\":\"scrape\",\"files\":{");
    Set<InfoHash> listed = new java.util.HashSet<>();
    for (InfoHash infoHash : scrape.infoHashes()) {
      // Torrents this origin does not publish are left out, as if unknown.
      if (allowList.allows(infoHash) && listed.add(infoHash)) {
        if (listed.size() > 1) {
          reply.append(',');
        }
        appendFile(reply, infoHash, census.counts(infoHash));
      }
    }
    if (listed.isEmpty()) {
      InfoHash only = scrape.infoHashes().size() == 1 ? scrape.infoHashes().get(0) : null;
      throw new RequestException(
          RejectReason.NOT_PUBLISHED, "torrent not published by this origin", only, "scrape");
    }
    socket.send(endScrapeReply(reply));
  }

  /** A scrape of all swarms; an empty {@code files} when no torrent has peers. */
  private String scrapeAllReply() {
    if (!scrapeAll.enabled()) {
      throw new RequestException(
          RejectReason.INVALID_FIELD, "info_hash is required (scrape of all torrents is off)",
          null, "scrape");
    }
    return scrapeAllReply.current(System.nanoTime());
  }

  private String encodeScrapeAll(List<SwarmCensus.Torrent> torrents) {
    StringBuilder reply = new StringBuilder("{\"action\":\"scrape\",\"files\":{");
    for (SwarmCensus.Torrent torrent : torrents) {
      if (reply.charAt(reply.length() - 1) != '{') {
        reply.append(',');
      }
      appendFile(reply, torrent.infoHash(), torrent.counts());
    }
    return endScrapeReply(reply);
  }

  private static void appendFile(StringBuilder reply, InfoHash infoHash, SwarmCounts counts) {
    JsonText.appendString(reply, infoHash.toBinaryString());
    reply.append(":{\"complete\":").append(counts.complete());
    reply.append(",\"incomplete\":").append(counts.incomplete());
    reply.append(",\"downloaded\":").append(counts.downloaded()).append('}');
  }

  private String endScrapeReply(StringBuilder reply) {
    reply.append("},\"flags\":{\"min_request_interval\":");
    return reply.append(config.getInterval().toSeconds()).append("}}").toString();
  }

  /**
   * Built by hand rather than through Jackson: this reply goes out for every announce, and the
   * field order and escaping are those Jackson produced (see {@link JsonText}).
   */
  private String announceReply(InfoHash infoHash) {
    SwarmCounts counts = census.counts(infoHash);
    StringBuilder reply = new StringBuilder(128);
    reply.append("{\"action\":\"announce\",\"interval\":").append(config.getInterval().toSeconds());
    JsonText.appendString(reply.append(",\"info_hash\":"), infoHash.toBinaryString());
    reply.append(",\"complete\":").append(counts.complete());
    reply.append(",\"incomplete\":").append(counts.incomplete());
    return reply.append('}').toString();
  }

  private void requirePublished(InfoHash infoHash, String action) {
    if (!allowList.allows(infoHash)) {
      throw new RequestException(
          RejectReason.NOT_PUBLISHED, "torrent not published by this origin", infoHash, action);
    }
  }

  private void reject(TrackerSocket socket, RequestException e) {
    stats.rejected(e.reason());
    StringBuilder reply = JsonText.appendString(new StringBuilder("{\"failure reason\":"), e.getMessage());
    if (e.infoHash() != null) {
      JsonText.appendString(reply.append(",\"info_hash\":"), e.infoHash().toBinaryString());
    }
    if (e.action() != null) {
      JsonText.appendString(reply.append(",\"action\":"), e.action());
    }
    socket.send(reply.append('}').toString());
  }

  /** Expires peers that stopped announcing, unanswered offers, and idle sockets. */
  @Override
  public void sweep(long nowNanos) {
    swarms.expire(
        nowNanos - config.getPeerTimeout().toNanos(), (infoHash, socket) -> socket.leave(infoHash));
    long idleCutoff = nowNanos - config.getIdleTimeout().toNanos();
    long closeCutoff = nowNanos - CLOSE_GRACE_NANOS;
    for (TrackerSocket socket : sockets) {
      socket.expireOffers(nowNanos);
      if (socket.closeStuckSince(closeCutoff)) {
        socket.abort(); // the client never completed the close handshake
      } else if (socket.idleSince(idleCutoff)) {
        socket.close(CloseStatus.GOING_AWAY.withReason("idle"));
      }
    }
  }
}
