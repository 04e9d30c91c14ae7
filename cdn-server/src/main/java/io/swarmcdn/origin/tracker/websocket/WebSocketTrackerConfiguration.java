package io.swarmcdn.origin.tracker.websocket;

import io.swarmcdn.origin.tracker.AllSwarmsScrape;
import io.swarmcdn.origin.tracker.TorrentAllowList;
import io.swarmcdn.origin.tracker.TrackerProperties;
import io.swarmcdn.origin.tracker.TrackerStats;
import io.swarmcdn.origin.tracker.swarm.SwarmCensus;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.support.WebSocketUpgradeHandlerPredicate;

/**
 * Wires the WebSocket tracker at {@code /announce}. The classic HTTP tracker answers plain
 * {@code GET /announce} on the same path: this mapping runs first but matches only WebSocket
 * upgrade requests, so everything else falls through to it.
 */
@Configuration(proxyBeanMethods = false)
public class WebSocketTrackerConfiguration {

  /** Path of both trackers: WebTorrent clients use {@code ws(s)://origin/announce}. */
  public static final String PATH = "/announce";

  @Bean
  WebSocketTracker webSocketTracker(
      SwarmCensus census,
      TorrentAllowList allowList,
      AllSwarmsScrape scrapeAll,
      TrackerStats stats,
      TrackerProperties properties) {
    return new WebSocketTracker(census, allowList, scrapeAll, stats, properties);
  }

  @Bean
  SimpleUrlHandlerMapping webSocketTrackerMapping(
      WebSocketTracker tracker, TrackerProperties properties) {
    TrackerWebSocketHandler handler =
        new TrackerWebSocketHandler(
            tracker, properties.getWebsocket().getMaxMessageSize().toBytes());
    // Before the functional and annotated mappings (order -1 and 0), upgrades only.
    SimpleUrlHandlerMapping mapping =
        new SimpleUrlHandlerMapping(Map.of(PATH, handler), Ordered.HIGHEST_PRECEDENCE + 100);
    mapping.setHandlerPredicate(new WebSocketUpgradeHandlerPredicate());
    return mapping;
  }

  /**
   * Caps frames at the message size limit in the server runtime itself, so an oversized frame is
   * refused while it is read, before it is aggregated in memory; and lets the tracker abort
   * connections (see {@link TrackerUpgradeStrategy}).
   */
  @Bean
  WebFluxConfigurer trackerWebSocketService(TrackerProperties properties) {
    int maxFrame = Math.toIntExact(properties.getWebsocket().getMaxMessageSize().toBytes());
    return new WebFluxConfigurer() {
      @Override
      public WebSocketService getWebSocketService() {
        return new HandshakeWebSocketService(new TrackerUpgradeStrategy(maxFrame));
      }
    };
  }
}
