package io.swarmcdn.origin.tracker;

import static io.swarmcdn.origin.tracker.http.TrackerHttpClient.announceParams;
import static io.swarmcdn.origin.tracker.http.TrackerHttpClient.randomId;
import static org.assertj.core.api.Assertions.assertThat;

import io.swarmcdn.origin.tracker.http.TrackerHttpClient;
import io.swarmcdn.origin.tracker.websocket.Messages;
import io.swarmcdn.origin.tracker.websocket.WsTestClient;
import io.swarmcdn.torrent.bencode.BDictionary;
import io.swarmcdn.torrent.bencode.BString;
import io.swarmcdn.torrent.bencode.BValue;
import io.swarmcdn.torrent.metainfo.InfoHash;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import tools.jackson.databind.JsonNode;

/**
 * Scrape without {@code info_hash} (BEP 48, and bittorrent-tracker's WebSocket {@code
 * {"action":"scrape"}}), over real HTTP and a real WebSocket: both trackers list the swarms with
 * the most peers over both transports, only published torrents, at most {@code
 * scrape-all.max-torrents} of them. (Refresh 0: every such scrape sees the current counts.)
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "server.address=127.0.0.1",
      "swarmcdn.tracker.scrape-all.max-torrents=3",
      "swarmcdn.tracker.scrape-all.refresh=0s"
    })
@Timeout(60)
class ScrapeAllSwarmsTest {

  /** Stands in for the catalog; the test publishes and withdraws torrents. */
  static final Set<InfoHash> PUBLISHED = ConcurrentHashMap.newKeySet();

  @TestConfiguration
  static class Published {
    @Bean
    @Primary
    PublishedTorrents testCatalog() {
      return PUBLISHED::contains;
    }
  }

  @LocalServerPort int port;

  @Test
  void bothTrackersListTheBusiestPublishedSwarmsUpToTheLimit() {
    TrackerHttpClient http = new TrackerHttpClient(port);
    assertThat(httpScrapeAll(http)).as("no swarm yet").isEmpty();
    List<WsTestClient> sockets = new ArrayList<>();
    try (WsTestClient scraper = connect()) {
      assertThat(wsScrapeAll(scraper, "{\"action\":\"scrape\"}")).as("no swarm yet").isEmpty();

      byte[][] hashes = new byte[5][];
      for (int i = 0; i < hashes.length; i++) {
        hashes[i] = randomId();
        PUBLISHED.add(InfoHash.of(hashes[i]));
      }
      // 0: 2 HTTP seeders + 2 WebSocket leechers; 1: 3 HTTP peers, one completed; 2: 2 WebSocket
      // seeders; 3: 1 HTTP leecher; 4: published, nobody in it.
      httpPeers(http, hashes[0], 2, 0);
      wsPeers(sockets, hashes[0], 2, 1000);
      httpPeers(http, hashes[1], 2, 100);
      Map<String, String> completed = announceParams(hashes[1], randomId(), 7100, 0);
      completed.put("event", "completed");
      http.announce(completed);
      wsPeers(sockets, hashes[2], 2, 0);
      httpPeers(http, hashes[3], 1, 100);
      // An unpublished announce is refused, so it cannot show up either.
      assertThat(http.announce(announceParams(randomId(), randomId(), 7200, 0))
          .getString("failure reason")).contains("not published");

      Map<String, List<Long>> expected = new LinkedHashMap<>();
      expected.put(key(hashes[0]), List.of(2L, 2L, 0L));
      expected.put(key(hashes[1]), List.of(1L, 2L, 1L));
      expected.put(key(hashes[2]), List.of(2L, 0L, 0L));
      assertThat(httpScrapeAll(http)).containsExactlyInAnyOrderEntriesOf(expected);
      assertThat(wsScrapeAll(scraper, "{\"action\":\"scrape\"}"))
          .containsExactlyInAnyOrderEntriesOf(expected);
      assertThat(wsScrapeAll(scraper, "{\"action\":\"scrape\",\"info_hash\":null}"))
          .as("info_hash null means none, as for bittorrent-tracker")
          .containsExactlyInAnyOrderEntriesOf(expected);

      // A torrent that is no longer published leaves the listing; the next busiest takes its place.
      PUBLISHED.remove(InfoHash.of(hashes[0]));
      expected.remove(key(hashes[0]));
      expected.put(key(hashes[3]), List.of(0L, 1L, 0L));
      assertThat(httpScrapeAll(http)).containsExactlyInAnyOrderEntriesOf(expected);
      assertThat(wsScrapeAll(scraper, "{\"action\":\"scrape\"}"))
          .containsExactlyInAnyOrderEntriesOf(expected);
    } finally {
      sockets.forEach(WsTestClient::close);
    }
  }

  private WsTestClient connect() {
    return WsTestClient.connect(URI.create("ws://127.0.0.1:" + port + "/announce"));
  }

  private static void httpPeers(TrackerHttpClient http, byte[] infoHash, int count, long left) {
    for (int i = 0; i < count; i++) {
      BDictionary reply = http.announce(announceParams(infoHash, randomId(), 7000 + i, left));
      assertThat(reply.getBytes("failure reason")).isNull();
    }
  }

  /** Each peer on a socket of its own, kept open (a closed socket stops its peers). */
  private void wsPeers(List<WsTestClient> sockets, byte[] infoHash, int count, long left) {
    for (int i = 0; i < count; i++) {
      WsTestClient socket = connect();
      sockets.add(socket);
      socket.send(Messages.announce(key(infoHash), Messages.randomId(), "started", left));
      assertThat(socket.next().has("failure reason")).isFalse();
    }
  }

  /** info-hash as the WebSocket protocol spells it: one char per byte. */
  private static String key(byte[] infoHash) {
    return new String(infoHash, StandardCharsets.ISO_8859_1);
  }

  /** {@code GET /scrape} without info_hash: info-hash -> {complete, incomplete, downloaded}. */
  private static Map<String, List<Long>> httpScrapeAll(TrackerHttpClient http) {
    BDictionary reply = http.get("/scrape");
    assertThat(reply.getBytes("failure reason")).isNull();
    assertThat(reply.getDictionary("flags").getLong("min_request_interval")).isPositive();
    Map<String, List<Long>> files = new LinkedHashMap<>();
    for (Map.Entry<BString, BValue> file : reply.getDictionary("files").entries().entrySet()) {
      BDictionary counts = (BDictionary) file.getValue();
      files.put(key(file.getKey().bytes()), List.of(
          counts.getLong("complete"), counts.getLong("incomplete"), counts.getLong("downloaded")));
    }
    return files;
  }

  private static Map<String, List<Long>> wsScrapeAll(WsTestClient client, String request) {
    client.send(request);
    JsonNode reply = client.next();
    assertThat(reply.has("failure reason")).as(reply.toString()).isFalse();
    assertThat(reply.get("action").stringValue()).isEqualTo("scrape");
    assertThat(reply.get("flags").get("min_request_interval").asInt()).isPositive();
    Map<String, List<Long>> files = new LinkedHashMap<>();
    reply.get("files").properties().forEach(file -> files.put(file.getKey(), List.of(
        file.getValue().get("complete").asLong(), file.getValue().get("incomplete").asLong(),
        file.getValue().get("downloaded").asLong())));
    return files;
  }
}
