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
 * Two real WebTorrent clients (npm {@code webtorrent}'s browser bundle) in headless Chromium find
 * each other through our WebSocket tracker only, and one downloads a 5 MiB buffer from the other
 * over WebRTC. The pages announce to nothing but our tracker and the torrent has no web seed, so
 * the download completes only if the tracker relayed the offer and the answer correctly.
 */
class WebTorrentBrowserSwarmIT {

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void leecherDownloadsSeedersBytesThroughOurTracker() throws Exception {
    JsonNode result = LoopbackScenario.run("browser-swarm", 90);
    JsonNode seeder = result.path("seeder");
    JsonNode leecher = result.path("leecher");
    long size = result.path("size").asLong();
    String trackerUrl = seeder.path("announce").path(0).asString();

    assertThat(trackerUrl).matches("ws://127\\.0\\.0\\.1:\\d+/announce");
    assertThat(strings(seeder.path("announce"))).containsExactly(trackerUrl);
    assertThat(strings(leecher.path("announce"))).containsExactly(trackerUrl);
    assertThat(leecher.path("urlList")).as("web seeds").isEmpty();

    assertThat(leecher.path("done").asBoolean()).as("leecher finished the download").isTrue();
    assertThat(leecher.path("size").asLong()).isEqualTo(size);
    assertThat(leecher.path("sha1").asString()).as("SHA-1 of the downloaded bytes")
        .isEqualTo(seeder.path("sha1").asString());

    // Every byte came from the seeder over WebRTC: one wire, to the seeder's peer id.
    JsonNode wires = leecher.path("wires");
    assertThat(wires).hasSize(1);
    assertThat(wires.path(0).path("type").asString()).isEqualTo("webrtc");
    assertThat(wires.path(0).path("peerId").asString()).isEqualTo(seeder.path("peerId").asString());
    assertThat(wires.path(0).path("downloaded").asLong()).isEqualTo(size);
    assertThat(leecher.path("received").asLong()).isGreaterThanOrEqualTo(size);
    assertThat(seeder.path("uploaded").asLong()).isGreaterThanOrEqualTo(size);
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(node -> values.add(node.asString()));
    return values;
  }
}
