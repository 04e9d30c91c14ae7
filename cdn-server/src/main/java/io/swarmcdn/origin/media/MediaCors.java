package io.swarmcdn.origin.media;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.URI;
import org.springframework.web.cors.CorsConfiguration;

/**
 * CORS for media GET/HEAD (Fetch standard, "CORS protocol"), which {@link MediaRoutes} answers
 * before Spring's {@code CorsWebFilter} would run: the same {@link CorsConfiguration} (so {@code
 * swarmcdn.cors-origins} means one thing everywhere), applied to actual requests only; the
 * preflights still go through the filter.
 */
final class MediaCors {
  private final CorsConfiguration config;
  private final String exposedHeaders;

  MediaCors(CorsConfiguration config) {
    this.config = config;
    this.exposedHeaders = String.join(", ", config.getExposedHeaders());
  }

  /**
   * Adds the response headers for {@code request}'s {@code Origin}; false when that origin may
   * not read media (a cross-origin request from an origin not allowed: 403, as the filter does).
   * {@code Vary: Origin} always, so that a shared cache never hands one origin's answer to
   * another when the allowed origins are a list.
   */
  boolean apply(HttpHeaders request, HttpHeaders response, String scheme) {
    response.set(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
    String origin = request.get(HttpHeaderNames.ORIGIN);
    if (origin == null) {
      return true;
    }
    String allowed = config.checkOrigin(origin);
    if (allowed == null) {
      return isSameOrigin(origin, scheme, request.get(HttpHeaderNames.HOST));
    }
    response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, allowed);
    response.set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, exposedHeaders);
    return true;
  }

  /** A page of our own origin sending {@code Origin} is no cross-origin request. */
  private static boolean isSameOrigin(String origin, String scheme, String host) {
    if (host == null) {
      return false;
    }
    try {
      URI o = URI.create(origin);
      URI self = URI.create(scheme + "://" + host);
      return scheme.equalsIgnoreCase(o.getScheme()) && self.getHost() != null
          && self.getHost().equalsIgnoreCase(o.getHost()) && port(self) == port(o);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static int port(URI uri) {
    return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }
}
