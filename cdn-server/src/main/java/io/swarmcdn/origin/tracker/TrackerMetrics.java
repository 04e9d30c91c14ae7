package io.swarmcdn.origin.tracker;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.swarmcdn.origin.tracker.swarm.SwarmCensus;
import io.swarmcdn.origin.tracker.swarm.Swarms;
import java.util.function.ToDoubleFunction;

/**
 * Publishes the tracker figures to Micrometer under {@code swarmcdn.tracker.*}:
 *
 * <ul>
 *   <li>{@code swarmcdn.tracker.sockets} open WebSocket connections;
 *   <li>{@code swarmcdn.tracker.swarms{transport}} swarms per transport ({@code http},
 *       {@code websocket});
 *   <li>{@code swarmcdn.tracker.peers{transport,role}} peers, role {@code seeder}/{@code leecher};
 *   <li>{@code swarmcdn.tracker.offers.relayed}, {@code swarmcdn.tracker.answers.relayed};
 *   <li>{@code swarmcdn.tracker.rejected{reason}} refused messages and connections.
 * </ul>
 */
final class TrackerMetrics implements MeterBinder {

  private static final String[] TRANSPORTS = {"http", "websocket"};

  private final SwarmCensus census;
  private final TrackerStats stats;

  TrackerMetrics(SwarmCensus census, TrackerStats stats) {
    this.census = census;
    this.stats = stats;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("swarmcdn.tracker.sockets", stats, TrackerStats::openSockets)
        .description("Open WebSocket tracker connections")
        .register(registry);
    for (String transport : TRANSPORTS) {
      gauge(registry, "swarmcdn.tracker.swarms", transport, null, Swarms.Totals::swarms);
      gauge(registry, "swarmcdn.tracker.peers", transport, "seeder", Swarms.Totals::seeders);
      gauge(registry, "swarmcdn.tracker.peers", transport, "leecher", Swarms.Totals::leechers);
    }
    FunctionCounter.builder("swarmcdn.tracker.offers.relayed", stats, TrackerStats::offersRelayed)
        .description("WebRTC offers forwarded to a peer")
        .register(registry);
    FunctionCounter.builder(
            "swarmcdn.tracker.answers.relayed", stats, TrackerStats::answersRelayed)
        .description("WebRTC answers relayed to the offering peer")
        .register(registry);
    for (RejectReason reason : RejectReason.values()) {
      FunctionCounter.builder(
              "swarmcdn.tracker.rejected", stats, s -> s.rejectedCount(reason))
          .description("Tracker requests or connections refused")
          .tag("reason", reason.tag())
          .register(registry);
    }
  }

  private void gauge(
      MeterRegistry registry,
      String name,
      String transport,
      String role,
      ToDoubleFunction<Swarms.Totals> figure) {
    Gauge.Builder<SwarmCensus> gauge =
        Gauge.builder(
                name,
                census,
                c -> {
                  Swarms.Totals totals = c.totals().get(transport);
                  return totals == null ? 0 : figure.applyAsDouble(totals);
                })
            .tag("transport", transport);
    if (role != null) {
      gauge.tag("role", role);
    }
    gauge.register(registry);
  }
}
