package io.swarmcdn.origin.publish;

import static org.springframework.web.reactive.function.server.RequestPredicates.POST;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** Routes {@code POST /api/v1/files} to the upload handler. */
@Configuration(proxyBeanMethods = false)
class UploadRoutes {

  @Bean
  RouterFunction<ServerResponse> uploadRouter(UploadHandler handler) {
    return RouterFunctions.route(POST("/api/v1/files"), handler::upload);
  }
}
