package io.swarmcdn.origin.tracker;

/**
 * Tells the trackers which torrents this origin publishes. The trackers serve only those swarms
 * (unless {@code swarmcdn.tracker.allow-any-info-hash} is set), so the origin's tracker cannot be
 * used as a free public tracker for arbitrary content.
 *
 * <p>Implemented by the media catalog. Must be cheap and thread-safe: it is called on every
 * announce and scrape, on event-loop threads (no blocking I/O).
 *
 * <p>Note: the parameter is the info-hash as 40 lowercase hex characters until torrent-core's
 * {@code InfoHash} value type lands on main; it then becomes {@code InfoHash}.
 */
public interface PublishedTorrents {

  /**
   * @param infoHashHex the v1 info-hash, 40 lowercase hex characters
   * @return whether this origin publishes the torrent with that info-hash
   */
  boolean isPublished(String infoHashHex);
}
