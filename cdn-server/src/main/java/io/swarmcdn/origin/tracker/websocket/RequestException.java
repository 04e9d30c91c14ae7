package io.swarmcdn.origin.tracker.websocket;

import io.swarmcdn.origin.tracker.RejectReason;
import io.swarmcdn.torrent.metainfo.InfoHash;

/**
 * A client message the tracker refuses: answered with {@code failure reason} (plus
 * {@code info_hash} and {@code action} when known, so that the client can tell which torrent it
 * concerns) and counted under its reason.
 */
final class RequestException extends RuntimeException {

  private final RejectReason reason;
  private final transient InfoHash infoHash;
  private final String action;

  RequestException(RejectReason reason, String message, InfoHash infoHash, String action) {
    super(message, null, false, false);
    this.reason = reason;
    this.infoHash = infoHash;
    this.action = action;
  }

  RejectReason reason() {
    return reason;
  }

  /** The torrent concerned, or null if unknown. */
  InfoHash infoHash() {
    return infoHash;
  }

  /** The action concerned, or null if unknown. */
  String action() {
    return action;
  }
}
