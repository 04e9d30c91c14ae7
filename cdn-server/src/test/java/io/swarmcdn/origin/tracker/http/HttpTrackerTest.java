package io.swarmcdn.origin.tracker.http;

import static io.swarmcdn.origin.tracker.http.TrackerHttpClient.announceParams;
import static io.swarmcdn.origin.tracker.http.TrackerHttpClient.randomId;
import static org.assertj.core.api.Assertions.assertThat;

import io.swarmcdn.origin.tracker.websocket.Messages;
import io.swarmcdn.origin.tracker.websocket.WsTestClient;
import io.swarmcdn.torrent.bencode.BDictionary;
import io.swarmcdn.torrent.bencode.BString;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import io.swarmcdn.origin.tracker.TrackerIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The classic HTTP tracker over real HTTP (same application context as the WebSocket tests). */
@TrackerIntegrationTest
@Timeout(60)
class HttpTrackerTest {

  @LocalServerPort int port;
  private TrackerHttpClient tracker;

  @BeforeEach
  void client() {
    tracker = new TrackerHttpClient(port);
  }

  @Test
  void announceReturnsOtherPeersInCompactFormNeverTheAnnouncer() {
    byte[] infoHash = randomId();
    BDictionary first = tracker.announce(announceParams(infoHash, randomId(), 6881, 0));
    assertThat(first.getBytes("failure reason")).isNull();
    assertThat(first.getBytes("peers")).isEmpty();
    assertThat(first.getBytes("peers6")).isEmpty();
    assertThat(first.getLong("complete")).isEqualTo(1);
    assertThat(first.getLong("incomplete")).isZero();
    assertThat(first.getLong("interval")).isEqualTo(900);
    assertThat(first.getLong("min interval")).isEqualTo(60);

    BDictionary second = tracker.announce(announceParams(infoHash, randomId(), 51413, 100));
    assertThat(second.getLong("complete")).isEqualTo(1);
    assertThat(second.getLong("incomplete")).isEqualTo(1);
    // BEP 23: 4 bytes IPv4 + 2 bytes port, big-endian; the request came from 127.0.0.1.
    assertThat(second.getBytes("peers")).containsExactly(127, 0, 0, 1, 6881 >> 8, 6881 & 0xff);
    assertThat(second.getBytes("peers6")).isEmpty();
  }

  @Test
  void numwantChoosesHowManyPeersAndDefaultsTo50() {
    byte[] infoHash = randomId();
    for (int i = 0; i < 60; i++) {
      tracker.announce(announceParams(infoHash, randomId(), 10_000 + i, 100));
    }
    Map<String, String> params = announceParams(infoHash, randomId(), 9999, 100);
    assertThat(peerPorts(tracker.announce(params))).hasSize(50);
    params.put("numwant", "7");
    Set<Integer> ports = peerPorts(tracker.announce(params));
    assertThat(ports).hasSize(7).allMatch(p -> p >= 10_000 && p < 10_060);
    params.put("numwant", "0");
    assertThat(tracker.announce(params).getBytes("peers")).isEmpty();
  }

  @Test
  void infoHashesAreReadAsRawBytesNotUtf8() {
    // Bytes that UTF-8 decoding would mangle (0x80..0xFF, invalid sequences), plus '%', '+', '&'.
    byte[] infoHash = new byte[20];
    for (int i = 0; i < 20; i++) {
      infoHash[i] = (byte) (0xEC + i * 7);
    }
    infoHash[0] = '%';
    infoHash[1] = '+';
    infoHash[2] = '&';
    tracker.announce(announceParams(infoHash, randomId(), 7000, 0));
    BDictionary files = tracker.scrape(infoHash).getDictionary("files");
    assertThat(files.entries().keySet()).containsExactly(BString.of(infoHash));
    BDictionary file = (BDictionary) files.entries().get(BString.of(infoHash));
    assertThat(file.getLong("complete")).isEqualTo(1);
  }

  @Test
  void badRequestsGetAFailureReasonWithHttp200() {
    Map<String, String> shortHash = announceParams(new byte[19], randomId(), 7000, 0);
    assertThat(tracker.announce(shortHash).getString("failure reason")).contains("info_hash");

    Map<String, String> longPeer = announceParams(randomId(), new byte[21], 7000, 0);
    assertThat(tracker.announce(longPeer).getString("failure reason")).contains("peer_id");

    Map<String, String> noHash = announceParams(randomId(), randomId(), 7000, 0);
    noHash.remove("info_hash");
    assertThat(tracker.announce(noHash).getString("failure reason")).contains("info_hash");

    Map<String, String> badPort = announceParams(randomId(), randomId(), 70000, 0);
    assertThat(tracker.announce(badPort).getString("failure reason")).contains("port");

    Map<String, String> badEvent = announceParams(randomId(), randomId(), 7000, 0);
    badEvent.put("event", "exploded");
    assertThat(tracker.announce(badEvent).getString("failure reason")).contains("event");

    assertThat(tracker.get("/scrape?info_hash=abc").getString("failure reason"))
        .contains("info_hash");
  }

  @Test
  void stoppedRemovesThePeerAndCompletedCountsADownload() {
    byte[] infoHash = randomId();
    byte[] leecher = randomId();
    tracker.announce(announceParams(infoHash, randomId(), 7001, 0));
    Map<String, String> params = announceParams(infoHash, leecher, 7002, 100);
    params.put("event", "started");
    tracker.announce(params);

    params.put("event", "completed");
    params.put("left", "0");
    BDictionary completed = tracker.announce(params);
    assertThat(completed.getLong("complete")).isEqualTo(2);
    assertThat(completed.getLong("incomplete")).isZero();

    params.put("event", "stopped");
    BDictionary stopped = tracker.announce(params);
    assertThat(stopped.getLong("complete")).isEqualTo(1);
    assertThat(stopped.getBytes("peers")).isEmpty();

    BDictionary file =
        (BDictionary) tracker.scrape(infoHash).getDictionary("files").entries().get(BString.of(infoHash));
    assertThat(file.getLong("complete")).isEqualTo(1);
    assertThat(file.getLong("incomplete")).isZero();
    assertThat(file.getLong("downloaded")).isEqualTo(1);
  }

  @Test
  void scrapeReportsSeveralTorrentsAndCountsWebSocketPeersToo() {
    byte[] first = randomId();
    byte[] second = randomId();
    tracker.announce(announceParams(first, randomId(), 7003, 0));
    tracker.announce(announceParams(first, randomId(), 7004, 10));
    tracker.announce(announceParams(second, randomId(), 7005, 10));
    try (WsTestClient browser =
        WsTestClient.connect(URI.create("ws://127.0.0.1:" + port + "/announce"))) {
      // Same path, WebSocket upgrade: the WebTorrent tracker answers.
      String binaryHash = new String(first, java.nio.charset.StandardCharsets.ISO_8859_1);
      browser.send(Messages.announce(binaryHash, Messages.randomId(), "started", 0));
      assertThat(browser.next().get("complete").asInt()).isEqualTo(2);

      BDictionary scrape = tracker.scrape(first, second);
      BDictionary files = scrape.getDictionary("files");
      assertThat(files.size()).isEqualTo(2);
      BDictionary firstFile = (BDictionary) files.entries().get(BString.of(first));
      assertThat(firstFile.getLong("complete")).isEqualTo(2); // one HTTP seeder, one browser
      assertThat(firstFile.getLong("incomplete")).isEqualTo(1);
      BDictionary secondFile = (BDictionary) files.entries().get(BString.of(second));
      assertThat(secondFile.getLong("incomplete")).isEqualTo(1);
      assertThat(scrape.getDictionary("flags").getLong("min_request_interval")).isEqualTo(60);

      // ...but HTTP peers only ever get HTTP peers: a browser cannot be reached over TCP.
      BDictionary announce = tracker.announce(announceParams(first, randomId(), 7006, 10));
      assertThat(announce.getBytes("peers")).hasSize(2 * 6);
    }
  }

  private static Set<Integer> peerPorts(BDictionary reply) {
    ByteBuffer peers = ByteBuffer.wrap(reply.getBytes("peers"));
    assertThat(peers.remaining() % 6).isZero();
    Set<Integer> ports = new HashSet<>();
    while (peers.hasRemaining()) {
      byte[] ip = new byte[4];
      peers.get(ip);
      assertThat(ip).containsExactly(127, 0, 0, 1);
      ports.add(Short.toUnsignedInt(peers.getShort()));
    }
    return ports;
  }
}
