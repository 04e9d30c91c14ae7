package io.swarmcdn.origin.auth;

import io.swarmcdn.origin.errors.ErrorResponses;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Requires {@code Authorization: Bearer <admin token>} for writes to the files API and for
 * everything under {@code /api/v1/admin}, and for the Prometheus scrape (per-file byte counts
 * and tracker figures are operator data, like the stats API); reads of the public API, media,
 * torrents and {@code /actuator/health} stay open. CORS preflights ({@code OPTIONS}) carry no
 * credentials and pass.
 */
@Component
public class BearerAuthFilter implements WebFilter, Ordered {
  static final String FILES = "/api/v1/files";
  static final String ADMIN = "/api/v1/admin";
  static final String PROMETHEUS = "/actuator/prometheus";
  private static final String BEARER = "Bearer ";

  private final AdminToken token;

  public BearerAuthFilter(AdminToken token) {
    this.token = token;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    ServerHttpRequest request = exchange.getRequest();
    if (!isProtected(request) || isAuthorized(request)) {
      return chain.filter(exchange);
    }
    exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    return ErrorResponses.write(exchange, HttpStatus.UNAUTHORIZED,
        "this endpoint requires Authorization: Bearer <admin token>");
  }

  private static boolean isProtected(ServerHttpRequest request) {
    String path = decodedPath(request);
    HttpMethod method = request.getMethod();
    if (method == HttpMethod.OPTIONS) {
      return false;
    }
    if (path.equals(ADMIN) || path.startsWith(ADMIN + "/") || path.equals(PROMETHEUS)) {
      return true;
    }
    boolean read = method == HttpMethod.GET || method == HttpMethod.HEAD;
    return !read && (path.equals(FILES) || path.startsWith(FILES + "/"));
  }

  /**
   * The path as routing sees it (segments percent-decoded, matrix parameters and empty segments
   * dropped), so {@code /api/v1/%61dmin} or {@code /api/v1//admin} cannot slip past.
   */
  private static String decodedPath(ServerHttpRequest request) {
    StringBuilder sb = new StringBuilder();
    for (PathContainer.Element e : request.getPath().pathWithinApplication().elements()) {
      if (e instanceof PathContainer.PathSegment segment && !segment.valueToMatch().isEmpty()) {
        sb.append('/').append(segment.valueToMatch());
      }
    }
    return sb.toString();
  }

  private boolean isAuthorized(ServerHttpRequest request) {
    String header = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
    return header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
        && token.matches(header.substring(BEARER.length()).strip());
  }

  /** Before routing and CORS, so nothing protected runs without the token. */
  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE + 10;
  }
}
