package io.swarmcdn.origin.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class PublicUrlsTest {

  private static PublicUrls at(String publicUrl) {
    SwarmCdnProperties properties = new SwarmCdnProperties();
    properties.setPublicUrl(publicUrl);
    return new PublicUrls(properties, new MockEnvironment());
  }

  @Test
  void webSocketTrackerFollowsTheSchemeOfThePublicUrl() {
    assertThat(at("http://cdn.example:8080/").webSocketAnnounce())
        .isEqualTo("ws://cdn.example:8080/announce");
    // Behind TLS a page may only open wss://, never ws://.
    assertThat(at("https://cdn.example/swarm").webSocketAnnounce())
        .isEqualTo("wss://cdn.example/swarm/announce");
    assertThat(at("https://cdn.example/swarm").announce())
        .isEqualTo("https://cdn.example/swarm/announce");
  }

  @Test
  void basePathIsNormalisedAsSpringBootDoes() {
    assertThat(PublicUrls.cleanBasePath("")).isEmpty();
    assertThat(PublicUrls.cleanBasePath(" / ")).isEmpty();
    assertThat(PublicUrls.cleanBasePath("cdn/")).isEqualTo("/cdn");
    assertThat(PublicUrls.cleanBasePath("/a/b")).isEqualTo("/a/b");
  }
}
