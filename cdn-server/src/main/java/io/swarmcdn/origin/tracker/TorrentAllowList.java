package io.swarmcdn.origin.tracker;

import io.swarmcdn.torrent.metainfo.InfoHash;

/**
 * Which info-hashes the trackers serve: the torrents this origin publishes (via the catalog's
 * {@link PublishedTorrents}), or any if {@code swarmcdn.tracker.allow-any-info-hash} is set. With
 * neither, nothing is served (fail closed).
 */
public final class TorrentAllowList {

  private final boolean allowAny;
  private final PublishedTorrents published;

  /**
   * @param published the catalog, or null when the application has none
   */
  public TorrentAllowList(boolean allowAny, PublishedTorrents published) {
    this.allowAny = allowAny;
    this.published = published;
  }

  /** Whether announces and scrapes for this torrent are served. */
  public boolean allows(InfoHash infoHash) {
    return allowAny || (published != null && published.isPublished(infoHash));
  }
}
