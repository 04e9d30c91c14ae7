package io.swarmcdn.origin.tracker.http;

import static io.swarmcdn.origin.tracker.http.TrackerHttpClient.announceParams;
import static io.swarmcdn.origin.tracker.http.TrackerHttpClient.randomId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swarmcdn.origin.tracker.TightLimitsTrackerTest;
import io.swarmcdn.torrent.bencode.BDictionary;
import io.swarmcdn.torrent.bencode.BString;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.web.server.LocalServerPort;

/** HTTP tracker limits and address handling, with the small limits of {@link TightLimitsTrackerTest}. */
@TightLimitsTrackerTest
@Timeout(60)
class HttpTrackerLimitsTest {

  @LocalServerPort int port;
  private TrackerHttpClient tracker;

  @BeforeEach
  void client() {
    tracker = new TrackerHttpClient(port);
  }

  @Test
  void numwantIsCappedAtMaxNumwant() {
    byte[] infoHash = randomId();
    for (int i = 0; i < 10; i++) {
      tracker.announce(announceParams(infoHash, randomId(), 20_000 + i, 100));
    }
    Map<String, String> params = announceParams(infoHash, randomId(), 21_000, 100);
    params.put("numwant", "1000");
    assertThat(tracker.announce(params).getBytes("peers")).hasSize(5 * 6);
  }

  @Test
  void scrapeWithoutInfoHashIsRefusedWhenScrapeAllIsOff() {
    tracker.announce(announceParams(randomId(), randomId(), 6881, 0));
    BDictionary reply = tracker.get("/scrape");
    assertThat(reply.getString("failure reason")).contains("info_hash is required");
    assertThat(reply.getDictionary("files")).isNull();
  }

  @Test
  void ipv6PeersAreListedInPeers6AndMappedIpv4InPeers() {
    byte[] infoHash = randomId();
    Map<String, String> loopback6 = announceParams(infoHash, randomId(), 1111, 100);
    loopback6.put("ip", "::1");
    tracker.announce(loopback6);
    Map<String, String> mapped = announceParams(infoHash, randomId(), 3333, 100);
    mapped.put("ip", "::ffff:10.1.2.3");
    tracker.announce(mapped);

    BDictionary reply = tracker.announce(announceParams(infoHash, randomId(), 4444, 100));
    // BEP 7: 16 address bytes + 2 port bytes.
    byte[] expected6 = new byte[18];
    expected6[15] = 1;
    expected6[16] = (byte) (1111 >> 8);
    expected6[17] = (byte) (1111 & 0xff);
    assertThat(reply.getBytes("peers6")).containsExactly(expected6);
    assertThat(reply.getBytes("peers")).containsExactly(10, 1, 2, 3, 3333 >> 8, 3333 & 0xff);
  }

  @Test
  void theIpParameterMustBeAnAddressNotAHostName() {
    Map<String, String> params = announceParams(randomId(), randomId(), 5555, 100);
    params.put("ip", "localhost");
    assertThat(tracker.announce(params).getString("failure reason")).contains("ip");
  }

  @Test
  void peersThatStopAnnouncingExpire() {
    byte[] infoHash = randomId();
    tracker.announce(announceParams(infoHash, randomId(), 6666, 100));
    assertThat(file(infoHash).getLong("incomplete")).isEqualTo(1);
    // peer-timeout is 1 s here, swept every 200 ms.
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> assertThat(file(infoHash).getLong("incomplete")).isZero());
  }

  @Test
  void aFullSwarmDropsTheLeastRecentlyAnnouncedPeers() {
    byte[] infoHash = randomId();
    for (int i = 0; i < 10; i++) {
      tracker.announce(announceParams(infoHash, randomId(), 30_000 + i, 0)); // oldest: seeders
    }
    for (int i = 0; i < 50; i++) {
      tracker.announce(announceParams(infoHash, randomId(), 31_000 + i, 100));
    }
    BDictionary file = file(infoHash);
    assertThat(file.getLong("complete")).isZero();
    assertThat(file.getLong("incomplete")).isEqualTo(50);
  }

  private BDictionary file(byte[] infoHash) {
    return (BDictionary)
        tracker.scrape(infoHash).getDictionary("files").entries().get(BString.of(infoHash));
  }
}
