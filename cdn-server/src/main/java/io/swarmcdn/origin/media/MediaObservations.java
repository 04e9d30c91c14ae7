package io.swarmcdn.origin.media;

import io.micrometer.observation.ObservationPredicate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

/**
 * Leaves media requests out of the generic {@code http.server.requests} observation: it costs a
 * timer, tags and context objects on every web-seed range request (the hottest path of the
 * origin, measured by bench/media-range), and {@code swarmcdn.origin.*} already counts them.
 */
@Configuration(proxyBeanMethods = false)
class MediaObservations {

  @Bean
  ObservationPredicate skipMediaRequestObservations() {
    return (name, context) -> !(context instanceof ServerRequestObservationContext request
        && request.getCarrier().getPath().value().startsWith(MediaHandler.PREFIX));
  }
}
