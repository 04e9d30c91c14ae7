package io.swarmcdn.origin.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmcdn.origin.tracker.http.TrackerHttpClient;
import io.swarmcdn.origin.tracker.websocket.Messages;
import io.swarmcdn.origin.tracker.websocket.WsTestClient;
import io.swarmcdn.torrent.bencode.BDictionary;
import io.swarmcdn.torrent.bencode.BString;
import io.swarmcdn.torrent.metainfo.InfoHash;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import tools.jackson.databind.JsonNode;

/**
 * With the default {@code allow-any-info-hash=false}, both trackers serve only torrents that
 * {@link PublishedTorrents} knows, so the origin is no public tracker for arbitrary content.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "server.address=127.0.0.1")
@Timeout(60)
class PublishedOnlyTrackerTest {

  static final byte[] PUBLISHED = TrackerHttpClient.randomId();

  /** Stands in for the catalog: exactly one published torrent. */
  @TestConfiguration
  static class OnePublishedTorrent {
    @Bean
    @Primary
    PublishedTorrents onePublishedTorrent() {
      InfoHash published = InfoHash.of(PUBLISHED);
      return published::equals;
    }
  }

  @LocalServerPort int port;

  @Test
  void httpAnnounceAndScrapeServeOnlyPublishedTorrents() {
    TrackerHttpClient tracker = new TrackerHttpClient(port);
    byte[] unpublished = TrackerHttpClient.randomId();
    BDictionary refused =
        tracker.announce(TrackerHttpClient.announceParams(unpublished, TrackerHttpClient.randomId(), 6881, 0));
    assertThat(refused.getString("failure reason")).isEqualTo("torrent not published by this origin");
    assertThat(tracker.scrape(unpublished).getString("failure reason")).contains("not published");

    BDictionary served =
        tracker.announce(TrackerHttpClient.announceParams(PUBLISHED, TrackerHttpClient.randomId(), 6881, 0));
    assertThat(served.getBytes("failure reason")).isNull();
    assertThat(served.getLong("complete")).isPositive();

    BDictionary files = tracker.scrape(PUBLISHED, unpublished).getDictionary("files");
    assertThat(files.entries().keySet()).containsExactly(BString.of(PUBLISHED));
  }

  @Test
  void webSocketAnnounceAndScrapeServeOnlyPublishedTorrents() {
    String published = new String(PUBLISHED, StandardCharsets.ISO_8859_1);
    String unpublished = Messages.randomId();
    try (WsTestClient client =
        WsTestClient.connect(URI.create("ws://127.0.0.1:" + port + "/announce"))) {
      client.send(Messages.announce(unpublished, Messages.randomId(), "started", 0));
      JsonNode refused = client.next();
      assertThat(refused.get("failure reason").stringValue())
          .isEqualTo("torrent not published by this origin");
      assertThat(refused.get("info_hash").stringValue()).isEqualTo(unpublished);
      assertThat(refused.get("action").stringValue()).isEqualTo("announce");

      client.send(Messages.scrape(unpublished));
      assertThat(client.next().get("failure reason").stringValue()).contains("not published");

      client.send(Messages.announce(published, Messages.randomId(), "started", 0));
      JsonNode served = client.next();
      assertThat(served.has("failure reason")).isFalse();
      assertThat(served.get("info_hash").stringValue()).isEqualTo(published);
    }
  }
}
