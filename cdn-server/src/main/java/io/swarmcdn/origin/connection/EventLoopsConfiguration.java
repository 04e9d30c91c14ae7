package io.swarmcdn.origin.connection;

import io.swarmcdn.origin.config.SwarmCdnProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;
import reactor.netty.resources.LoopResources;

/**
 * Runs the HTTP server (media, API and the WebSocket tracker, which shares its port) on {@code
 * swarmcdn.event-loops} event loops of its own, by default one per CPU core, instead of Reactor
 * Netty's global loops (max(4, cores): 4 on a 2-core machine).
 *
 * <p>Why: loops beyond the cores only take turns on them, and the tracker pays for every extra
 * one. Each relayed offer goes to another client's socket, served by another loop in (n-1)/n of
 * cases; each hand-over may wake that loop (an eventfd write and a context switch) and splits
 * what would have been one write batch. Measured with bench/tracker-load (2 cores, 5000 peers):
 * 27 ms of server CPU per 1000 relayed offers on 4 loops, 18 on 2, 15 on 1 (see README). One loop
 * per core still lets large media responses use every core.
 *
 * <p>This replaces Spring Boot's resource factory (which would hand the server the global loops
 * after every {@code NettyServerCustomizer} has run); the factory creates the loops when the
 * context starts and shuts them down with it.
 */
@Configuration(proxyBeanMethods = false)
class EventLoopsConfiguration {

  @Bean
  ReactorResourceFactory reactorResourceFactory(SwarmCdnProperties properties) {
    int configured = properties.getEventLoops();
    if (configured < 0) {
      throw new IllegalArgumentException("swarmcdn.event-loops must be 0 (one per core) or more");
    }
    int loops = configured == 0 ? Runtime.getRuntime().availableProcessors() : configured;
    ReactorResourceFactory factory = new ReactorResourceFactory();
    factory.setUseGlobalResources(false);
    // Daemon threads like Reactor Netty's own: the running server keeps the JVM alive.
    factory.setLoopResourcesSupplier(() -> LoopResources.create("swarmcdn-http", loops, true));
    return factory;
  }
}
