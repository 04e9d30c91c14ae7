package io.swarmcdn.origin.config;

import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.swarmcdn.origin.errors.ErrorResponses;
import io.swarmcdn.origin.tracker.http.HttpTracker;
import java.net.URI;
import java.net.URISyntaxException;
import org.springframework.boot.reactor.netty.NettyRouteProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Answers a request whose target is not a URI ({@code /api/v1/files?x=%zz}, a raw space or
 * quote) with a 400 that says so, before Spring: Spring's adapter cannot build the request's URI
 * and answers a bare 400 without a body, where every other error of the origin has a message.
 * The HTTP tracker's paths get it as a bencoded {@code failure reason}, what BitTorrent clients
 * show; everything else gets the origin's JSON error.
 */
@Configuration(proxyBeanMethods = false)
class RequestTargetGuard {

  /** Characters java.net.URI accepts anywhere in a path or query (RFC 2396 uric), '%' aside. */
  private static final boolean[] PLAIN = new boolean[128];

  static {
    String plain = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        + "-_.!~*'()" + ";/?:@&=+$,";
    for (char c : plain.toCharArray()) {
      PLAIN[c] = true;
    }
  }

  @Bean
  @Order(Ordered.LOWEST_PRECEDENCE)
  NettyRouteProvider malformedTargetRoute(PublicUrls urls) {
    String announce = urls.basePath() + "/announce";
    String scrape = urls.basePath() + "/scrape";
    return routes -> routes.route(
        request -> syntaxError(request.uri()) != null,
        (request, response) -> {
          String message = "malformed request target: " + syntaxError(request.uri());
          String path = RequestTarget.rawPath(request.uri());
          if (path.equals(announce) || path.equals(scrape)) {
            return ErrorResponses.send(request, response, HttpResponseStatus.BAD_REQUEST,
                HttpHeaderValues.TEXT_PLAIN, HttpTracker.failure(message));
          }
          return ErrorResponses.send(request, response, HttpResponseStatus.BAD_REQUEST, message);
        });
  }

  /**
   * Why {@code target} is not a URI, as Spring would find when it parses it, or null when it is
   * one. The common case, a target of plain characters and well-formed escapes, is decided
   * without parsing.
   */
  static String syntaxError(String target) {
    if (isPlain(target)) {
      return null;
    }
    try {
      new URI(target);
      return null;
    } catch (URISyntaxException e) {
      return e.getMessage();
    }
  }

  private static boolean isPlain(String target) {
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c == '%') {
        if (i + 2 >= target.length() || !isHex(target.charAt(i + 1)) || !isHex(target.charAt(i + 2))) {
          return false;
        }
        i += 2;
      } else if (c >= 128 || !PLAIN[c]) {
        return false;
      }
    }
    return true;
  }

  private static boolean isHex(char c) {
    return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
  }
}
