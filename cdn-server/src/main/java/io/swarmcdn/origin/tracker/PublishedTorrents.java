package io.swarmcdn.origin.tracker;

import io.swarmcdn.torrent.metainfo.InfoHash;

/**
 * Tells the trackers which torrents this origin publishes. The trackers serve only those swarms
 * (unless {@code swarmcdn.tracker.allow-any-info-hash} is set), so the origin's tracker cannot be
 * used as a free public tracker for arbitrary content.
 *
 * <p>Implemented by the media catalog. Must be cheap and thread-safe: it is called on every
 * announce and scrape, on event-loop threads (no blocking I/O).
 */
public interface PublishedTorrents {

  /** Whether this origin publishes the torrent with that (v1) info-hash. */
  boolean isPublished(InfoHash infoHash);
}
