package io.swarmcdn.origin.tracker;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The whole origin with small tracker limits and short timeouts, so that tests can breach them
 * quickly. Test classes sharing this annotation share one application context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "server.address=127.0.0.1",
      "swarmcdn.admin-token=" + TrackerIntegrationTest.ADMIN_TOKEN,
      "swarmcdn.tracker.allow-any-info-hash=true",
      "swarmcdn.tracker.sweep-period=200ms",
      "swarmcdn.tracker.max-peers-per-swarm=50",
      "swarmcdn.tracker.http.peer-timeout=1s",
      "swarmcdn.tracker.http.max-numwant=5",
      "swarmcdn.tracker.http.allow-ip-parameter=true",
      "swarmcdn.tracker.websocket.announce-rate=50",
      "swarmcdn.tracker.websocket.announce-burst=100",
      "swarmcdn.tracker.websocket.outbound-buffer=256KB",
      "swarmcdn.tracker.websocket.offer-lifetime=1s",
      "swarmcdn.tracker.websocket.idle-timeout=4s",
      "swarmcdn.tracker.websocket.peer-timeout=2s",
      "swarmcdn.tracker.websocket.max-swarms-per-socket=3",
      "swarmcdn.tracker.websocket.max-sockets=300",
      "swarmcdn.tracker.scrape-all.max-torrents=0"
    })
public @interface TightLimitsTrackerTest {}
