package io.swarmcdn.origin.tracker.swarm;

import io.swarmcdn.torrent.metainfo.InfoHash;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Counts over every transport's swarms. HTTP and WebSocket peers cannot reach each other, so
 * they live in separate {@link Swarms}, but a scrape reports the torrent's whole population.
 */
public final class SwarmCensus {

  private final List<Swarms<?>> registries = new CopyOnWriteArrayList<>();

  /** Adds a transport's registry; each tracker registers its own when it is created. */
  public void register(Swarms<?> swarms) {
    registries.add(swarms);
  }

  /** The torrent's counts summed over all transports. */
  public SwarmCounts counts(InfoHash infoHash) {
    SwarmCounts sum = SwarmCounts.EMPTY;
    for (Swarms<?> swarms : registries) {
      sum = sum.plus(swarms.counts(infoHash));
    }
    return sum;
  }

  /** A torrent with peers, and its counts summed over all transports. */
  public record Torrent(InfoHash infoHash, SwarmCounts counts) {

    int peers() {
      return counts.complete() + counts.incomplete();
    }
  }

  /** Most peers first; among equals, most completions. */
  private static final Comparator<Torrent> BUSIEST_FIRST =
      Comparator.comparingInt(Torrent::peers)
          .thenComparingLong(t -> t.counts().downloaded())
          .reversed();

  /**
   * The {@code limit} torrents with the most peers over all transports, among those {@code
   * include} accepts, busiest first. An O(swarms) walk with a map of every swarm (a torrent may
   * have peers on several transports): meant for occasional calls (see AllSwarmsScrape).
   */
  public List<Torrent> busiest(int limit, Predicate<InfoHash> include) {
    Map<InfoHash, SwarmCounts> sums = new HashMap<>();
    for (Swarms<?> swarms : registries) {
      swarms.forEach((infoHash, counts) -> {
        if (include.test(infoHash)) {
          sums.merge(infoHash, counts, SwarmCounts::plus);
        }
      });
    }
    // A heap of the best `limit` so far, least busy on top: O(swarms log limit).
    PriorityQueue<Torrent> best = new PriorityQueue<>(BUSIEST_FIRST.reversed());
    sums.forEach((infoHash, counts) -> {
      best.add(new Torrent(infoHash, counts));
      if (best.size() > limit) {
        best.poll();
      }
    });
    List<Torrent> result = new ArrayList<>(best);
    result.sort(BUSIEST_FIRST);
    return result;
  }

  /** Totals per transport, in registration order. */
  public Map<String, Swarms.Totals> totals() {
    Map<String, Swarms.Totals> totals = new LinkedHashMap<>();
    for (Swarms<?> swarms : registries) {
      totals.put(swarms.transport(), swarms.totals());
    }
    return totals;
  }
}
