package io.swarmcdn.origin.tracker.http;

import io.swarmcdn.origin.tracker.AllSwarmsScrape;
import io.swarmcdn.origin.tracker.TorrentAllowList;
import io.swarmcdn.origin.tracker.TrackerProperties;
import io.swarmcdn.origin.tracker.TrackerStats;
import io.swarmcdn.origin.tracker.swarm.SwarmCensus;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Routes {@code GET /announce} and {@code GET /scrape} to the {@link HttpTracker}. WebSocket
 * upgrades of {@code /announce} never get here: the WebSocket tracker's mapping takes them first.
 */
@Configuration(proxyBeanMethods = false)
public class HttpTrackerConfiguration {

  @Bean
  HttpTracker httpTracker(
      SwarmCensus census,
      TorrentAllowList allowList,
      AllSwarmsScrape scrapeAll,
      TrackerStats stats,
      TrackerProperties properties) {
    return new HttpTracker(census, allowList, scrapeAll, stats, properties);
  }

  @Bean
  RouterFunction<ServerResponse> httpTrackerRoutes(HttpTracker tracker) {
    return RouterFunctions.route()
        .GET(
            "/announce",
            request -> bencoded(tracker.announce(rawQuery(request), remoteAddress(request))))
        .GET("/scrape", request -> bencoded(tracker.scrape(rawQuery(request))))
        .build();
  }

  /** Spring would decode parameters as UTF-8; the tracker needs the bytes (see QueryString). */
  private static String rawQuery(ServerRequest request) {
    return request.uri().getRawQuery();
  }

  private static InetAddress remoteAddress(ServerRequest request) {
    return request
        .remoteAddress()
        .map(InetSocketAddress::getAddress)
        .orElseThrow(() -> new IllegalStateException("no remote address"));
  }

  private static Mono<ServerResponse> bencoded(byte[] body) {
    return ServerResponse.ok()
        .contentType(MediaType.TEXT_PLAIN)
        .cacheControl(CacheControl.noStore())
        .bodyValue(body);
  }
}
