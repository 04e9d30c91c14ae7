package io.swarmcdn.origin.tracker.swarm;

import io.swarmcdn.torrent.metainfo.InfoHash;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * All swarms of one transport, keyed by info-hash, bounded in number. A swarm exists only while
 * it has peers: every change that can empty it runs inside the map's per-key lock, so a peer is
 * never added to a swarm that is concurrently being dropped.
 *
 * @param <P> what a transport needs to reach a peer
 */
public final class Swarms<P> {

  private final ConcurrentHashMap<InfoHash, Swarm<P>> swarms = new ConcurrentHashMap<>();
  private final String transport;
  private final int maxSwarms;
  private final int maxPeersPerSwarm;

  /**
   * @param transport how these peers are reached ({@code http}, {@code websocket}); peers of
   *     different transports cannot reach each other, so each has its own registry
   * @param maxSwarms swarms this registry may hold at once; announces for new torrents beyond it
   *     are refused
   * @param maxPeersPerSwarm peers per swarm; the least recently announced one is evicted beyond it
   */
  public Swarms(String transport, int maxSwarms, int maxPeersPerSwarm) {
    if (maxSwarms < 1 || maxPeersPerSwarm < 1) {
      throw new IllegalArgumentException(
          "swarmcdn.tracker.max-swarms and max-peers-per-swarm must be positive");
    }
    this.transport = transport;
    this.maxSwarms = maxSwarms;
    this.maxPeersPerSwarm = maxPeersPerSwarm;
  }

  /** How these peers are reached ({@code http}, {@code websocket}). */
  public String transport() {
    return transport;
  }

  /** Outcome of {@link #announce}. */
  public record Announced<P>(SwarmCounts counts, P evicted) {}

  /**
   * Adds or refreshes a peer, creating the swarm if needed.
   *
   * @return the swarm's counts after the announce and the peer evicted to make room (or null)
   * @throws TooManySwarmsException if the swarm is new and the registry is full
   */
  public Announced<P> announce(
      InfoHash infoHash, PeerId id, P peer, boolean seeder, boolean completed, long nowNanos) {
    Object[] result = new Object[2];
    swarms.compute(
        infoHash,
        (key, swarm) -> {
          if (swarm == null) {
            if (swarms.size() >= maxSwarms) {
              throw new TooManySwarmsException();
            }
            swarm = new Swarm<>(maxPeersPerSwarm);
          }
          result[1] = swarm.announce(id, peer, seeder, completed, nowNanos);
          result[0] = swarm.counts();
          return swarm;
        });
    @SuppressWarnings("unchecked")
    P evicted = (P) result[1];
    return new Announced<>((SwarmCounts) result[0], evicted);
  }

  /** Removes a peer (event {@code stopped}). */
  public void remove(InfoHash infoHash, PeerId id) {
    swarms.computeIfPresent(
        infoHash,
        (key, swarm) -> {
          swarm.remove(id);
          return swarm.isEmpty() ? null : swarm;
        });
  }

  /** Removes a peer only if it is still reached through {@code peer} (see {@link Swarm}). */
  public void remove(InfoHash infoHash, PeerId id, P peer) {
    swarms.computeIfPresent(
        infoHash,
        (key, swarm) -> {
          swarm.remove(id, peer);
          return swarm.isEmpty() ? null : swarm;
        });
  }

  /** The peer with that id in that swarm, or null. */
  public P get(InfoHash infoHash, PeerId id) {
    Swarm<P> swarm = swarms.get(infoHash);
    return swarm == null ? null : swarm.get(id);
  }

  /** Up to {@code count} random peers of the swarm other than {@code exclude}. */
  public List<P> sample(InfoHash infoHash, int count, PeerId exclude) {
    Swarm<P> swarm = swarms.get(infoHash);
    return swarm == null ? List.of() : swarm.sample(count, exclude);
  }

  /** The swarm's counts; {@link SwarmCounts#EMPTY} if nobody is in it. */
  public SwarmCounts counts(InfoHash infoHash) {
    Swarm<P> swarm = swarms.get(infoHash);
    return swarm == null ? SwarmCounts.EMPTY : swarm.counts();
  }

  /**
   * Drops every peer that has not announced since {@code cutoffNanos}, and swarms left empty.
   *
   * @param onExpired told about each dropped peer (e.g. to update a socket's memberships)
   */
  public void expire(long cutoffNanos, BiConsumer<InfoHash, P> onExpired) {
    for (InfoHash infoHash : swarms.keySet()) {
      List<P> expired = new ArrayList<>();
      swarms.computeIfPresent(
          infoHash,
          (key, swarm) -> {
            expired.addAll(swarm.expire(cutoffNanos));
            return swarm.isEmpty() ? null : swarm;
          });
      expired.forEach(peer -> onExpired.accept(infoHash, peer));
    }
  }

  /** Each swarm's counts, in no particular order: an O(swarms) walk, meant for occasional calls. */
  public void forEach(BiConsumer<InfoHash, SwarmCounts> action) {
    swarms.forEach((infoHash, swarm) -> action.accept(infoHash, swarm.counts()));
  }

  /** Totals over all swarms, for statistics: an O(swarms) walk, meant for occasional calls. */
  public Totals totals() {
    int count = 0;
    long seeders = 0;
    long leechers = 0;
    for (Swarm<P> swarm : swarms.values()) {
      SwarmCounts counts = swarm.counts();
      count++;
      seeders += counts.complete();
      leechers += counts.incomplete();
    }
    return new Totals(count, seeders, leechers);
  }

  /** Figures over all swarms of a transport. */
  public record Totals(int swarms, long seeders, long leechers) {}

  /** The registry holds its maximum number of swarms. */
  public static final class TooManySwarmsException extends RuntimeException {
    TooManySwarmsException() {
      super("tracker is full: too many torrents", null, false, false);
    }
  }
}
