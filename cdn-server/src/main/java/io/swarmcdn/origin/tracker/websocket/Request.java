package io.swarmcdn.origin.tracker.websocket;

import io.swarmcdn.origin.tracker.swarm.PeerId;
import io.swarmcdn.torrent.metainfo.InfoHash;
import java.util.List;

/** A validated client message of the WebTorrent tracker protocol. */
sealed interface Request {

  /** Announce events as bittorrent-tracker knows them; no event (or "empty") is an update. */
  enum Event {
    STARTED,
    STOPPED,
    COMPLETED,
    UPDATE,
    PAUSED
  }

  /**
   * A JSON object exactly as the client sent it: {@code bytes[start, end)}, checked to be
   * well-formed JSON and UTF-8 by {@link JsonScanner}. Relayed as is, never re-serialised.
   */
  record RawJson(byte[] bytes, int start, int end) {

    int length() {
      return end - start;
    }
  }

  /**
   * {@code action: announce} without an answer.
   *
   * @param seeder {@code left == 0}; a missing or non-numeric {@code left} means a leecher
   * @param offers up to the configured maximum, empty for {@code stopped}/{@code completed}
   */
  record Announce(
      InfoHash infoHash, PeerId peerId, Event event, boolean seeder, List<Offer> offers)
      implements Request {}

  /**
   * One WebRTC offer to forward to some other peer.
   *
   * @param offer the SDP object, relayed untouched
   * @param offerId a 20-character binary string chosen by the offerer
   */
  record Offer(RawJson offer, String offerId) {}

  /** {@code action: announce} carrying the answer to an offer, for {@code toPeerId}. */
  record Answer(InfoHash infoHash, PeerId peerId, PeerId toPeerId, String offerId, RawJson answer)
      implements Request {}

  /** {@code action: scrape} for one or more torrents; none: for all swarms (no {@code info_hash}). */
  record Scrape(List<InfoHash> infoHashes) implements Request {}
}
