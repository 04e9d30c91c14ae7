package io.swarmcdn.origin.media;

import org.springframework.boot.reactor.netty.NettyRouteProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Puts {@code /media/**} in front of Spring's WebFlux adapter, as a reactor-netty route: {@code
 * GET}/{@code HEAD} serve the file, other methods get a 405; only media preflights ({@code
 * OPTIONS}) and everything outside {@code /media/} still go to Spring.
 *
 * <p>Why: media range requests are the origin's hottest path (every web-seed piece, see
 * bench/media-range), and through WebFlux each one paid for the exchange, URI parsing, handler
 * mapping and adaptation, the filter chain, and date parsing/formatting of the generic
 * conditional-request support: 43 µs of user CPU per 256 KiB range request (JFR: none of it in
 * one place), beside 25 µs in the kernel for the same sendfile nginx does with 5 µs of its own.
 * Through this route it is 12-18 µs. The route keeps what matters of that stack: reactor-netty
 * still owns the connection (keep-alive, pipelining order, timeouts, graceful shutdown);
 * {@link MediaHandler} answers errors in the origin's JSON shape and counts the bytes it sends;
 * {@link MediaCors} applies the same CORS policy as the filter; the bearer filter only guards the
 * API's writes and {@code /api/v1/admin}, never media reads; and the generic {@code
 * http.server.requests} observation is replaced by {@code swarmcdn.origin.*}.
 *
 * <p>The route applies {@code spring.webflux.base-path} itself (Spring does so only for its own
 * routes): with base path {@code /cdn}, media is at {@code /cdn/media/...}, as are the torrents'
 * web seeds.
 *
 * <p>A raw prefix test rather than a path pattern, so that every target below {@code /media/},
 * however odd ({@code /media/%2e%2e/x}, {@code /media//etc}), reaches the handler and gets its
 * precise answer (400 for an invalid path) rather than a generic one.
 */
@Configuration(proxyBeanMethods = false)
class MediaRoutes {

  @Bean
  NettyRouteProvider mediaRouteProvider(MediaHandler handler) {
    return routes -> routes.route(handler::accepts, handler::serve);
  }
}
