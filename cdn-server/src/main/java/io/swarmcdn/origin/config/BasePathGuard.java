package io.swarmcdn.origin.config;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.swarmcdn.origin.errors.ErrorResponses;
import org.springframework.boot.reactor.netty.NettyRouteProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With {@code spring.webflux.base-path} set (say {@code /cdn}), Spring's context-path dispatch
 * fails on a path that starts with the base path's characters but not with its full segment
 * ({@code /cdnx}): it throws "Invalid contextPath" and the client gets a 500 (logged as an error)
 * for what is just an unknown path. This route answers such paths first with the origin's JSON
 * 404, as Spring does for any other path outside the base path.
 */
@Configuration(proxyBeanMethods = false)
class BasePathGuard {

  @Bean
  NettyRouteProvider basePathSplitRoute(PublicUrls urls) {
    String basePath = urls.basePath();
    if (basePath.isEmpty()) {
      return routes -> routes;
    }
    return routes -> routes.route(
        request -> splitsTheBasePath(RequestTarget.rawPath(request.uri()), basePath),
        (request, response) -> ErrorResponses.send(request, response,
            HttpResponseStatus.NOT_FOUND, "no such path"));
  }

  /**
   * Whether the raw (still percent-encoded) {@code path} starts with the base path's characters
   * without the base path being a whole-segment prefix of it ({@code /cdnx}, {@code /cdn%2Fx}).
   */
  static boolean splitsTheBasePath(String path, String basePath) {
    return path.length() > basePath.length() && path.startsWith(basePath)
        && path.charAt(basePath.length()) != '/';
  }
}
