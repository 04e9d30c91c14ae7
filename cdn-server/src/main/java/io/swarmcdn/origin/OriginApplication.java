package io.swarmcdn.origin;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The SwarmCDN origin: media library, web seeds, trackers and stats in one WebFlux server. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class OriginApplication {

  public static void main(String[] args) {
    SpringApplication.run(OriginApplication.class, args);
  }
}
