package io.swarmcdn.origin.tracker;

import io.swarmcdn.origin.tracker.swarm.SwarmCensus;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

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
 * tracker likewise encodes a snapshot once ({@link Reply}).
 *
 * <p>The walk is taken off the event loops: with 100,000 swarms on both transports it takes
 * 0.1-0.2 s on a busy 2-core machine, a stall for every connection of the loop that would run it.
 * A scrape that finds the snapshot stale gets it as it is and starts a new walk on the background
 * executor (stale-while-revalidate), so the counts may be up to the refresh period plus one walk
 * old. Only the very first such scrape, and every one when the refresh period is 0 (tests, small
 * trackers), walks the swarms itself.
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
  private final Executor background;
  private final AtomicBoolean refreshing = new AtomicBoolean();
  private volatile Snapshot current;

  /** @param background where stale snapshots are taken anew (never an event loop) */
  public AllSwarmsScrape(SwarmCensus census, TorrentAllowList allowList,
      TrackerProperties.ScrapeAll config, Executor background) {
    if (config.getMaxTorrents() < 0 || config.getRefresh().isNegative()) {
      throw new IllegalArgumentException(
          "swarmcdn.tracker.scrape-all.max-torrents and refresh must not be negative");
    }
    this.census = census;
    this.allowList = allowList;
    this.maxTorrents = config.getMaxTorrents();
    this.refreshNanos = config.getRefresh().toNanos();
    this.background = background;
  }

  /** Whether scrapes without {@code info_hash} are served (a limit of 0 turns them off). */
  public boolean enabled() {
    return maxTorrents > 0;
  }

  /**
   * The current snapshot: taken here if there is none yet or the refresh period is 0; otherwise
   * the last one, and if that is older than the refresh period, one new walk is started in the
   * background (never more than one at a time).
   */
  public Snapshot snapshot(long nowNanos) {
    Snapshot snapshot = current;
    if (snapshot == null || refreshNanos == 0) {
      snapshot = take(nowNanos);
      current = snapshot;
      return snapshot;
    }
    if (nowNanos - snapshot.takenAtNanos >= refreshNanos && refreshing.compareAndSet(false, true)) {
      try {
        background.execute(() -> {
          try {
            current = take(System.nanoTime());
          } finally {
            refreshing.set(false);
          }
        });
      } catch (RuntimeException rejected) {
        refreshing.set(false); // executor shut down: serve the old snapshot, try again later
      }
    }
    return snapshot;
  }

  /**
   * A tracker's reply to scrapes of all swarms, {@code encode}d once per snapshot however many
   * scrapes ask for it.
   */
  public <T> Reply<T> reply(Function<List<SwarmCensus.Torrent>, T> encode) {
    return new Reply<>(this, encode);
  }

  /** See {@link #reply}. */
  public static final class Reply<T> {
    private record Encoded<T>(Snapshot snapshot, T reply) {}

    private final AllSwarmsScrape scrapes;
    private final Function<List<SwarmCensus.Torrent>, T> encode;
    private volatile Encoded<T> last;

    private Reply(AllSwarmsScrape scrapes, Function<List<SwarmCensus.Torrent>, T> encode) {
      this.scrapes = scrapes;
      this.encode = encode;
    }

    /** The encoding of {@link AllSwarmsScrape#snapshot}. */
    public T current(long nowNanos) {
      Snapshot snapshot = scrapes.snapshot(nowNanos);
      Encoded<T> encoded = last;
      if (encoded == null || encoded.snapshot() != snapshot) {
        encoded = new Encoded<>(snapshot, encode.apply(snapshot.torrents()));
        last = encoded;
      }
      return encoded.reply();
    }
  }

  private Snapshot take(long nowNanos) {
    return new Snapshot(nowNanos, List.copyOf(census.busiest(maxTorrents, allowList::allows)));
  }
}
