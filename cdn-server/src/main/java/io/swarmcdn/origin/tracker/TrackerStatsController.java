package io.swarmcdn.origin.tracker;

import io.swarmcdn.origin.tracker.swarm.SwarmCensus;
import io.swarmcdn.origin.tracker.swarm.Swarms;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/admin/stats/tracker}: the tracker figures as JSON for the admin console
 * (token-protected like everything under {@code /api/v1/admin}).
 */
@RestController
class TrackerStatsController {

  private final SwarmCensus census;
  private final TrackerStats stats;

  TrackerStatsController(SwarmCensus census, TrackerStats stats) {
    this.census = census;
    this.stats = stats;
  }

  /**
   * Current sizes and cumulative counters.
   *
   * @param sockets open WebSocket connections
   * @param transports per transport ({@code http}, {@code websocket}): swarms, seeders, leechers
   * @param offersRelayed offers forwarded since start
   * @param answersRelayed answers relayed since start
   * @param rejected refused messages and connections since start, by reason
   */
  record Snapshot(
      int sockets,
      Map<String, Swarms.Totals> transports,
      long offersRelayed,
      long answersRelayed,
      Map<String, Long> rejected) {}

  @GetMapping("/api/v1/admin/stats/tracker")
  Snapshot tracker() {
    Map<String, Long> rejected = new LinkedHashMap<>();
    for (RejectReason reason : RejectReason.values()) {
      rejected.put(reason.tag(), stats.rejectedCount(reason));
    }
    return new Snapshot(
        stats.openSockets(),
        census.totals(),
        stats.offersRelayed(),
        stats.answersRelayed(),
        rejected);
  }
}
