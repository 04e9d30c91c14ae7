package io.swarmcdn.origin.tracker;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The whole origin on a random loopback port with default tracker settings, serving any
 * info-hash. Test classes sharing this annotation share one application context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "server.address=127.0.0.1",
      "swarmcdn.admin-token=" + TrackerIntegrationTest.ADMIN_TOKEN,
      "swarmcdn.tracker.allow-any-info-hash=true"
    })
public @interface TrackerIntegrationTest {
  String ADMIN_TOKEN = "tracker-test-admin-token";
}
