package io.swarmcdn.origin.tracker.swarm;

import io.swarmcdn.torrent.metainfo.InfoHash;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

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

  /** Totals per transport, in registration order. */
  public Map<String, Swarms.Totals> totals() {
    Map<String, Swarms.Totals> totals = new LinkedHashMap<>();
    for (Swarms<?> swarms : registries) {
      totals.put(swarms.transport(), swarms.totals());
    }
    return totals;
  }
}
