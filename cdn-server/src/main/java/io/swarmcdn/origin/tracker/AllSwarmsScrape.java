package io.swarmcdn.origin.tracker;

import io.swarmcdn.origin.tracker.swarm.SwarmCensus;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The scrape of all swarms: BEP 48 lets a client leave out {@code info_hash} to get every torrent
 * the tracker tracks, and bittorrent-tracker's server answers {@code {"action":"scrape"}} without
 * one the same way. Both of our trackers serve it from here.
 *
 * <p>Bounded twice, because the request is free for the client and the answer grows with the
 * tracker: it lists at most {@code swarmcdn.tracker.scrape-all.max-torrents} torrents (those with
 * the most peers over both transports, only torrents with peers, only those the allow-list
 * serves), and the list is a snapshot reused for {@code swarmcdn.tracker.scrape-all.refresh}, so a
 * flood of such scrapes costs one walk over the swarms per period, not one per request. Each
 * tracker likewise encodes a snapshot once ({@link Snapshot} identity tells a new one).
 */
public final class AllSwarmsScrape {

  /** One walk over the swarms: the listed torrents, busiest first. */
  public static final class Snapshot {
    private final long takenAtNanos;
    private final List<SwarmCensus.Torrent> torrents;

    Snapshot(long takenAtNanos, List<SwarmCensus.Torrent> torrents) {
      this.takenAtNanos = takenAtNanos;
      this.torrents = torrents;
    }

    public List<SwarmCensus.Torrent> torrents() {
      return torrents;
    }
  }

  private final SwarmCensus census;
  private final TorrentAllowList allowList;
  private final int maxTorrents;
  private final long refreshNanos;
  private final AtomicBoolean refreshing = new AtomicBoolean();
  private volatile Snapshot current;

  public AllSwarmsScrape(SwarmCensus census, TorrentAllowList allowList, TrackerProperties.ScrapeAll config) {
    if (config.getMaxTorrents() < 0 || config.getRefresh().isNegative()) {
      throw new IllegalArgumentException(
          "swarmcdn.tracker.scrape-all.max-torrents and refresh must not be negative");
    }
    this.census = census;
    this.allowList = allowList;
    this.maxTorrents = config.getMaxTorrents();
    this.refreshNanos = config.getRefresh().toNanos();
  }

  /** Whether scrapes without {@code info_hash} are served (a limit of 0 turns them off). */
  public boolean enabled() {
    return maxTorrents > 0;
  }

  /**
   * The current snapshot, taken anew if the last one is older than the refresh period. While one
   * caller takes a new one, the others get the previous one rather than wait (event-loop
   * threads must not block) or walk the swarms too.
   */
  public Snapshot snapshot(long nowNanos) {
    Snapshot snapshot = current;
    if (snapshot != null && nowNanos - snapshot.takenAtNanos < refreshNanos) {
      return snapshot;
    }
    if (!refreshing.compareAndSet(false, true)) {
      return snapshot != null ? snapshot : take(nowNanos);
    }
    try {
      snapshot = take(nowNanos);
      current = snapshot;
      return snapshot;
    } finally {
      refreshing.set(false);
    }
  }

  private Snapshot take(long nowNanos) {
    return new Snapshot(nowNanos, List.copyOf(census.busiest(maxTorrents, allowList::allows)));
  }
}
