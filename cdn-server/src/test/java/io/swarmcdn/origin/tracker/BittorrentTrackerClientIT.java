package io.swarmcdn.origin.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmcdn.origin.interop.LoopbackScenario;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * npm {@code bittorrent-tracker}'s own client against our tracker, over WebSocket and over HTTP:
 * a seeder and a leecher of one swarm start, scrape, complete and stop, and every reply's
 * complete/incomplete counts must follow. Over HTTP the leecher must also be given the seeder's
 * address. (The WebSocket clients announce with numwant 0: node has no WebRTC to make offers.)
 */
class BittorrentTrackerClientIT {

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void npmClientAnnouncesAndScrapesOverWebSocketAndHttp() throws Exception {
    JsonNode result = LoopbackScenario.run("npm-client", 60);
    assertSwarmLifecycle("ws", result.path("ws"));
    assertSwarmLifecycle("http", result.path("http"));
    assertThat(strings(result.path("http").path("leecher").path("peers")))
        .as("peers the HTTP leecher was given").contains("127.0.0.1:6881");
  }

  private static void assertSwarmLifecycle(String protocol, JsonNode run) {
    for (JsonNode step : run.path("steps")) {
      assertThat(step.path("ok").asBoolean()).as(protocol + ": step '" + step.path("name").asString() + "'").isTrue();
    }
    JsonNode seeder = run.path("seeder");
    JsonNode leecher = run.path("leecher");
    for (JsonNode client : List.of(seeder, leecher)) {
      assertThat(client.path("warnings")).as(protocol + " " + client.path("name").asString() + " warnings").isEmpty();
      assertThat(client.path("errors")).as(protocol + " " + client.path("name").asString() + " errors").isEmpty();
    }
    // Announce replies: seeder alone; then seeder + leecher; then both complete.
    assertCounts(protocol + " seeder started", seeder.path("updates").path(0), 1, 0);
    assertCounts(protocol + " leecher started", leecher.path("updates").path(0), 1, 1);
    assertCounts(protocol + " leecher completed", leecher.path("updates").path(1), 2, 0);
    // Scrapes: during the download, after it, and after the seeder stopped.
    assertCounts(protocol + " scrape while leeching", leecher.path("scrapes").path(0), 1, 1);
    JsonNode afterCompletion = seeder.path("scrapes").path(0);
    assertCounts(protocol + " scrape after completion", afterCompletion, 2, 0);
    assertThat(afterCompletion.path("downloaded").asInt()).as(protocol + " downloaded").isGreaterThanOrEqualTo(1);
    assertCounts(protocol + " scrape after seeder stopped", leecher.path("scrapes").path(1), 1, 0);
  }

  private static void assertCounts(String what, JsonNode reply, int complete, int incomplete) {
    assertThat(reply.isMissingNode()).as(what + ": reply received").isFalse();
    assertThat(reply.path("complete").asInt(-1)).as(what + ": complete").isEqualTo(complete);
    assertThat(reply.path("incomplete").asInt(-1)).as(what + ": incomplete").isEqualTo(incomplete);
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(node -> values.add(node.asString()));
    return values;
  }
}
