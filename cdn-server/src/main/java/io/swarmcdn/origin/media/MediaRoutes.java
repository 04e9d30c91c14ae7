package io.swarmcdn.origin.media;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Routes {@code GET}/{@code HEAD} of anything under {@code /media/} to the media handler. A raw
 * prefix test rather than a path pattern: patterns skip odd paths such as {@code /media//etc},
 * which must reach the handler to be rejected as invalid (400) rather than unknown (404).
 */
@Configuration(proxyBeanMethods = false)
class MediaRoutes {

  @Bean
  RouterFunction<ServerResponse> mediaRouter(MediaHandler handler) {
    RequestPredicate media = request ->
        (request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD)
            && request.requestPath().pathWithinApplication().value()
                .startsWith(MediaHandler.PREFIX);
    return RouterFunctions.route(media, handler::serve);
  }
}
