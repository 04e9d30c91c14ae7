package io.swarmcdn.origin.tracker;

import static io.swarmcdn.origin.tracker.websocket.Messages.announce;
import static io.swarmcdn.origin.tracker.websocket.Messages.answer;
import static io.swarmcdn.origin.tracker.websocket.Messages.randomId;
import static io.swarmcdn.origin.tracker.websocket.Messages.withOffers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.swarmcdn.origin.tracker.http.TrackerHttpClient;
import io.swarmcdn.origin.tracker.websocket.WsTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** The tracker's figures at {@code /api/v1/admin/stats/tracker} and in Micrometer. */
@TrackerIntegrationTest
@Timeout(60)
class TrackerStatsTest {

  @LocalServerPort int port;
  @Autowired MeterRegistry meters;

  private JsonNode stats() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/admin/stats/tracker"))
                    .header("Authorization", "Bearer " + TrackerIntegrationTest.ADMIN_TOKEN)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return WsTestClient.JSON.readTree(response.body());
  }

  @Test
  void statsNeedTheAdminToken() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/admin/stats/tracker"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(401);
  }

  private double gauge(String name, String transport, String role) {
    return meters.get(name).tag("transport", transport).tag("role", role).gauge().value();
  }

  @Test
  void statsCountSocketsPeersRelaysAndRejectionsInJsonAndMicrometer() throws Exception {
    // Other tests of this context leave HTTP peers behind and close sockets asynchronously:
    // compare against a quiet baseline.
    await().atMost(Duration.ofSeconds(10)).until(() -> stats().get("sockets").asInt() == 0);
    JsonNode before = stats();
    double seedersBefore = gauge("swarmcdn.tracker.peers", "websocket", "seeder");

    String infoHash = randomId();
    String offererId = randomId();
    String answererId = randomId();
    String offerId = randomId();
    URI ws = URI.create("ws://127.0.0.1:" + port + "/announce");
    try (WsTestClient answerer = WsTestClient.connect(ws);
        WsTestClient offerer = WsTestClient.connect(ws)) {
      answerer.send(announce(infoHash, answererId, "started", 0));
      answerer.next();
      offerer.send(withOffers(announce(infoHash, offererId, "started", 100), offerId));
      offerer.next();
      answerer.next();
      answerer.send(answer(infoHash, answererId, offererId, offerId, "v=0"));
      offerer.next();
      offerer.send("{oops");
      offerer.next();
      new TrackerHttpClient(port)
          .announce(TrackerHttpClient.announceParams(new byte[20], new byte[20], 1, 0)); // fine
      new TrackerHttpClient(port).get("/announce?info_hash=short");

      JsonNode after = stats();
      assertThat(after.get("sockets").asInt()).isEqualTo(2);
      JsonNode websocket = after.get("transports").get("websocket");
      JsonNode websocketBefore = before.get("transports").get("websocket");
      assertThat(websocket.get("swarms").asInt() - websocketBefore.get("swarms").asInt())
          .isEqualTo(1);
      assertThat(websocket.get("seeders").asInt() - websocketBefore.get("seeders").asInt())
          .isEqualTo(1);
      assertThat(websocket.get("leechers").asInt() - websocketBefore.get("leechers").asInt())
          .isEqualTo(1);
      assertThat(after.get("offersRelayed").asLong() - before.get("offersRelayed").asLong())
          .isEqualTo(1);
      assertThat(after.get("answersRelayed").asLong() - before.get("answersRelayed").asLong())
          .isEqualTo(1);
      assertThat(
              after.get("rejected").get("malformed").asLong()
                  - before.get("rejected").get("malformed").asLong())
          .isEqualTo(1);
      assertThat(
              after.get("rejected").get("invalid-field").asLong()
                  - before.get("rejected").get("invalid-field").asLong())
          .isEqualTo(1);

      assertThat(meters.get("swarmcdn.tracker.sockets").gauge().value()).isEqualTo(2);
      assertThat(gauge("swarmcdn.tracker.peers", "websocket", "seeder") - seedersBefore)
          .isEqualTo(1);
      assertThat(meters.get("swarmcdn.tracker.offers.relayed").functionCounter().count())
          .isEqualTo(after.get("offersRelayed").asDouble());
      assertThat(
              meters
                  .get("swarmcdn.tracker.rejected")
                  .tag("reason", "malformed")
                  .functionCounter()
                  .count())
          .isEqualTo(after.get("rejected").get("malformed").asDouble());
    }
  }
}
