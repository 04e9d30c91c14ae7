package io.swarmcdn.origin.media;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RequestPredicates.HEAD;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Routes {@code /media/**} to the media handler (a functional route: the cheapest dispatch). */
@Configuration(proxyBeanMethods = false)
class MediaRoutes {

  @Bean
  RouterFunction<ServerResponse> mediaRouter(MediaHandler handler) {
    String pattern = MediaHandler.PREFIX + "**";
    return RouterFunctions.route(GET(pattern).or(HEAD(pattern)), handler::serve);
  }
}
