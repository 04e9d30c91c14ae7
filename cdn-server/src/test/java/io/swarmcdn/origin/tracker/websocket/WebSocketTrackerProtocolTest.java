package io.swarmcdn.origin.tracker.websocket;

import static io.swarmcdn.origin.tracker.websocket.Messages.announce;
import static io.swarmcdn.origin.tracker.websocket.Messages.answer;
import static io.swarmcdn.origin.tracker.websocket.Messages.randomId;
import static io.swarmcdn.origin.tracker.websocket.Messages.scrape;
import static io.swarmcdn.origin.tracker.websocket.Messages.withOffers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import io.swarmcdn.origin.tracker.TrackerIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** The WebTorrent tracker protocol over real WebSocket connections to the running origin. */
@TrackerIntegrationTest
@Timeout(60)
class WebSocketTrackerProtocolTest {

  private static final Duration QUIET = Duration.ofMillis(300);

  @LocalServerPort int port;

  private WsTestClient connect() {
    return WsTestClient.connect(URI.create("ws://127.0.0.1:" + port + "/announce"));
  }

  /** Joins the swarm and consumes the announce reply. */
  private JsonNode join(WsTestClient client, String infoHash, String peerId, long left) {
    client.send(announce(infoHash, peerId, "started", left));
    JsonNode reply = client.next();
    assertThat(reply.get("action").stringValue()).isEqualTo("announce");
    return reply;
  }

  /**
   * The tracker takes the data frames off the connection in a handler of its own ({@code
   * DataFrames}): pings, fragmented messages with a ping between the fragments, binary frames and
   * the close handshake must still be handled as before.
   */
  @Test
  void pingsFragmentsBinaryFramesAndTheCloseHandshakeAroundTrackerMessages() throws Exception {
    String infoHash = randomId();
    try (RawWsClient client = new RawWsClient(port)) {
      client.sendFrame(0x89, ascii("hello")); // ping
      RawWsClient.Frame pong = client.readFrame();
      assertThat(pong.opcode()).isEqualTo(10);
      assertThat(pong.text()).isEqualTo("hello");

      byte[] message = ascii(WsTestClient.JSON.writeValueAsString(announce(infoHash, randomId(), "started", 0)));
      int half = message.length / 2;
      client.sendFrame(0x01, Arrays.copyOfRange(message, 0, half)); // text, more to come
      client.sendFrame(0x89, ascii("between"));
      client.sendFrame(0x80, Arrays.copyOfRange(message, half, message.length)); // last fragment
      assertThat(client.readFrame().text()).isEqualTo("between");
      RawWsClient.Frame reply = client.readFrame();
      assertThat(reply.opcode()).isEqualTo(1);
      assertThat(WsTestClient.JSON.readTree(reply.text()).get("complete").asInt()).isEqualTo(1);

      // The protocol has no binary messages: ignored, no reply.
      client.sendFrame(0x82, message);
      client.sendText(WsTestClient.JSON.writeValueAsString(scrape(infoHash)));
      RawWsClient.Frame scrape = client.readFrame();
      assertThat(WsTestClient.JSON.readTree(scrape.text()).get("action").stringValue()).isEqualTo("scrape");

      client.sendFrame(0x88, new byte[] {0x03, (byte) 0xe8}); // close, 1000
      RawWsClient.Frame close = client.readFrame();
      assertThat(close.opcode()).isEqualTo(8);
      assertThat(close.closeCode()).isEqualTo(1000);
    }
  }

  private static byte[] ascii(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  @Test
  void announceIsAnsweredWithIntervalCountsAndInfoHash() {
    String infoHash = randomId();
    try (WsTestClient seeder = connect();
        WsTestClient leecher = connect()) {
      JsonNode first = join(seeder, infoHash, randomId(), 0);
      assertThat(first.get("interval").asInt()).isEqualTo(120);
      assertThat(first.get("info_hash").stringValue()).isEqualTo(infoHash);
      assertThat(first.get("complete").asInt()).isEqualTo(1);
      assertThat(first.get("incomplete").asInt()).isZero();
      assertThat(first.has("failure reason")).isFalse();

      JsonNode second = join(leecher, infoHash, randomId(), 1000);
      assertThat(second.get("complete").asInt()).isEqualTo(1);
      assertThat(second.get("incomplete").asInt()).isEqualTo(1);
    }
  }

  @Test
  void eachOfferGoesToADifferentPeerAndNeverBackToTheSender() {
    String infoHash = randomId();
    String senderId = randomId();
    List<WsTestClient> others = new ArrayList<>();
    try (WsTestClient sender = connect()) {
      for (int i = 0; i < 3; i++) {
        WsTestClient other = connect();
        others.add(other);
        join(other, infoHash, randomId(), 1000);
      }
      join(sender, infoHash, senderId, 1000);

      String[] offerIds = {randomId(), randomId(), randomId(), randomId(), randomId()};
      sender.send(withOffers(announce(infoHash, senderId, null, 1000), offerIds));
      JsonNode reply = sender.next();
      assertThat(reply.get("complete").asInt()).isZero();
      assertThat(reply.get("incomplete").asInt()).isEqualTo(4);

      // 5 offers, 3 other peers: each other peer gets exactly one, the sender none.
      Set<String> received = new HashSet<>();
      for (WsTestClient other : others) {
        JsonNode offer = other.next();
        assertThat(offer.get("action").stringValue()).isEqualTo("announce");
        assertThat(offer.get("peer_id").stringValue()).isEqualTo(senderId);
        assertThat(offer.get("info_hash").stringValue()).isEqualTo(infoHash);
        assertThat(offer.get("offer").get("type").stringValue()).isEqualTo("offer");
        assertThat(offer.get("offer").get("sdp").stringValue())
            .isEqualTo("v=0 offer " + offer.get("offer_id").stringValue().hashCode());
        received.add(offer.get("offer_id").stringValue());
        other.assertSilent(QUIET);
      }
      assertThat(received).hasSize(3).isSubsetOf(offerIds);
      sender.assertSilent(QUIET);
    } finally {
      others.forEach(WsTestClient::close);
    }
  }

  @Test
  void aLonePeerNeverReceivesItsOwnOffers() {
    String infoHash = randomId();
    String peerId = randomId();
    try (WsTestClient alone = connect()) {
      join(alone, infoHash, peerId, 1000);
      for (int i = 0; i < 5; i++) {
        alone.send(withOffers(announce(infoHash, peerId, null, 1000), randomId(), randomId()));
        assertThat(alone.next().get("incomplete").asInt()).isEqualTo(1);
      }
      alone.assertSilent(QUIET);
    }
  }

  @Test
  void answerIsRelayedToTheOffererOnlyAndGetsNoReply() {
    String infoHash = randomId();
    String offererId = randomId();
    String answererId = randomId();
    String offerId = randomId();
    try (WsTestClient offerer = connect();
        WsTestClient answerer = connect()) {
      join(answerer, infoHash, answererId, 0);
      join(offerer, infoHash, offererId, 1000);
      offerer.send(withOffers(announce(infoHash, offererId, null, 1000), offerId));
      offerer.next(); // announce reply
      JsonNode offer = answerer.next();
      assertThat(offer.get("offer_id").stringValue()).isEqualTo(offerId);

      answerer.send(answer(infoHash, answererId, offererId, offerId, "v=0 answer sdp"));
      JsonNode relayed = offerer.next();
      assertThat(relayed.get("action").stringValue()).isEqualTo("announce");
      assertThat(relayed.get("answer").get("type").stringValue()).isEqualTo("answer");
      assertThat(relayed.get("answer").get("sdp").stringValue()).isEqualTo("v=0 answer sdp");
      assertThat(relayed.get("offer_id").stringValue()).isEqualTo(offerId);
      assertThat(relayed.get("peer_id").stringValue()).isEqualTo(answererId);
      assertThat(relayed.get("info_hash").stringValue()).isEqualTo(infoHash);
      answerer.assertSilent(QUIET);

      // An offer is answered once: a replayed answer is refused.
      answerer.send(answer(infoHash, answererId, offererId, offerId, "v=0 again"));
      assertThat(answerer.next().get("failure reason").stringValue()).contains("no such offer");
      offerer.assertSilent(QUIET);
    }
  }

  @Test
  void answerToAnOfferNeverReceivedIsRefused() {
    String infoHash = randomId();
    String victimId = randomId();
    String attackerId = randomId();
    try (WsTestClient victim = connect();
        WsTestClient attacker = connect()) {
      join(victim, infoHash, victimId, 1000);
      join(attacker, infoHash, attackerId, 1000);
      attacker.send(answer(infoHash, attackerId, victimId, randomId(), "v=0 unsolicited"));
      JsonNode failure = attacker.next();
      assertThat(failure.get("failure reason").stringValue()).contains("no such offer");
      assertThat(failure.get("info_hash").stringValue()).isEqualTo(infoHash);
      assertThat(failure.get("action").stringValue()).isEqualTo("announce");
      victim.assertSilent(QUIET);
    }
  }

  @Test
  void stoppedLeavesTheSwarm() {
    String infoHash = randomId();
    String leaverId = randomId();
    try (WsTestClient stayer = connect();
        WsTestClient leaver = connect()) {
      join(stayer, infoHash, randomId(), 0);
      join(leaver, infoHash, leaverId, 1000);
      leaver.send(announce(infoHash, leaverId, "stopped", 1000));
      JsonNode reply = leaver.next();
      assertThat(reply.get("complete").asInt()).isEqualTo(1);
      assertThat(reply.get("incomplete").asInt()).isZero();

      // The stopped peer no longer receives offers.
      String stayerId = randomId();
      stayer.send(withOffers(announce(infoHash, stayerId, null, 0), randomId()));
      stayer.next();
      leaver.assertSilent(QUIET);
    }
  }

  @Test
  void closingTheSocketStopsAllOfItsPeersInEverySwarm() {
    String firstHash = randomId();
    String secondHash = randomId();
    String peerId = randomId();
    try (WsTestClient observer = connect()) {
      WsTestClient leaving = connect();
      join(leaving, firstHash, peerId, 1000);
      join(leaving, secondHash, peerId, 0);
      observer.send(scrape(firstHash, secondHash));
      JsonNode before = observer.next().get("files");
      assertThat(before.get(firstHash).get("incomplete").asInt()).isEqualTo(1);
      assertThat(before.get(secondHash).get("complete").asInt()).isEqualTo(1);

      leaving.abort(); // no close handshake, as when a tab dies

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                observer.send(scrape(firstHash, secondHash));
                JsonNode files = observer.next().get("files");
                assertThat(files.get(firstHash).get("incomplete").asInt()).isZero();
                assertThat(files.get(secondHash).get("complete").asInt()).isZero();
              });
    }
  }

  @Test
  void oneSocketTakesPartInSeveralSwarms() {
    String firstHash = randomId();
    String secondHash = randomId();
    String sharedId = randomId();
    String firstOfferer = randomId();
    String secondOfferer = randomId();
    try (WsTestClient shared = connect();
        WsTestClient first = connect();
        WsTestClient second = connect()) {
      join(shared, firstHash, sharedId, 0);
      join(shared, secondHash, sharedId, 0);
      join(first, firstHash, firstOfferer, 1000);
      join(second, secondHash, secondOfferer, 1000);

      String firstOffer = randomId();
      first.send(withOffers(announce(firstHash, firstOfferer, null, 1000), firstOffer));
      first.next();
      JsonNode offer = shared.next();
      assertThat(offer.get("info_hash").stringValue()).isEqualTo(firstHash);
      assertThat(offer.get("peer_id").stringValue()).isEqualTo(firstOfferer);

      String secondOffer = randomId();
      second.send(withOffers(announce(secondHash, secondOfferer, null, 1000), secondOffer));
      second.next();
      offer = shared.next();
      assertThat(offer.get("info_hash").stringValue()).isEqualTo(secondHash);
      assertThat(offer.get("peer_id").stringValue()).isEqualTo(secondOfferer);

      // Answers go back through the right swarm.
      shared.send(answer(secondHash, sharedId, secondOfferer, secondOffer, "v=0 a2"));
      assertThat(second.next().get("answer").get("sdp").stringValue()).isEqualTo("v=0 a2");
      shared.send(answer(firstHash, sharedId, firstOfferer, firstOffer, "v=0 a1"));
      assertThat(first.next().get("answer").get("sdp").stringValue()).isEqualTo("v=0 a1");
    }
  }

  @Test
  void scrapeCountsSeedersLeechersAndCompletedDownloads() {
    String infoHash = randomId();
    String otherHash = randomId();
    String leecherId = randomId();
    try (WsTestClient seeder = connect();
        WsTestClient leecher = connect();
        WsTestClient scraper = connect()) {
      join(seeder, infoHash, randomId(), 0);
      join(leecher, infoHash, leecherId, 500);

      scraper.send(scrape(infoHash));
      JsonNode single = scraper.next();
      assertThat(single.get("action").stringValue()).isEqualTo("scrape");
      JsonNode file = single.get("files").get(infoHash);
      assertThat(file.get("complete").asInt()).isEqualTo(1);
      assertThat(file.get("incomplete").asInt()).isEqualTo(1);
      assertThat(file.get("downloaded").asInt()).isZero();
      assertThat(single.get("flags").get("min_request_interval").asInt()).isEqualTo(120);

      leecher.send(announce(infoHash, leecherId, "completed", 0));
      JsonNode completed = leecher.next();
      assertThat(completed.get("complete").asInt()).isEqualTo(2);
      assertThat(completed.get("incomplete").asInt()).isZero();

      scraper.send(scrape(infoHash, otherHash));
      JsonNode files = scraper.next().get("files");
      assertThat(files.size()).isEqualTo(2);
      assertThat(files.get(infoHash).get("complete").asInt()).isEqualTo(2);
      assertThat(files.get(infoHash).get("downloaded").asInt()).isEqualTo(1);
      assertThat(files.get(otherHash).get("complete").asInt()).isZero();
      assertThat(files.get(otherHash).get("incomplete").asInt()).isZero();
    }
  }

  @Test
  void reconnectingWithTheSamePeerIdTakesThePeerOver() {
    String infoHash = randomId();
    String peerId = randomId();
    String offererId = randomId();
    try (WsTestClient offerer = connect()) {
      WsTestClient old = connect();
      join(old, infoHash, peerId, 0);
      try (WsTestClient reconnected = connect()) {
        JsonNode reply = join(reconnected, infoHash, peerId, 0);
        assertThat(reply.get("complete").asInt()).isEqualTo(1);
        old.close(); // closing the stale socket must not remove the peer
        join(offerer, infoHash, offererId, 1000);
        await()
            .atMost(Duration.ofSeconds(5))
            .untilAsserted(
                () -> {
                  offerer.send(scrape(infoHash));
                  assertThat(offerer.next().get("files").get(infoHash).get("complete").asInt())
                      .isEqualTo(1);
                });
        offerer.send(withOffers(announce(infoHash, offererId, null, 1000), randomId()));
        offerer.next();
        assertThat(reconnected.next().get("peer_id").stringValue()).isEqualTo(offererId);
      }
    }
  }
}
