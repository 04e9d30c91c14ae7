package io.swarmcdn.origin.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmcdn.origin.interop.LoopbackScenario;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * A stock WebTorrent client (npm {@code webtorrent}'s browser bundle in headless Chromium)
 * downloads a file our origin publishes from our BEP 19 web seed alone: the page, on another
 * origin than the media, fetches {@code /torrents/{infoHash}.torrent}, and WebTorrent fetches every
 * piece from the torrent's {@code url-list} ({@code /media/...}) with preflighted cross-origin
 * {@code Range} requests. The file is generated, spans 193 pieces and is no multiple of the piece
 * length; nobody else is in the swarm. So the download completes with the right bytes only if our
 * CORS (preflight and exposed headers), range answers and torrent's web seed URL all work for a
 * real browser client; and the origin must count every byte it sent for the file.
 */
class WebTorrentWebSeedIT {

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void browserDownloadsFromOurWebSeedAlone() throws Exception {
    JsonNode result = LoopbackScenario.run("browser-webseed", 60);
    long size = result.path("size").asLong();
    JsonNode entry = result.path("entry");
    JsonNode leecher = result.path("leecher");
    String mediaUrl = entry.path("mediaUrl").asString();

    // The setting this test is about: a multi-piece file with a short last piece, served to a
    // page of another origin (CORS applies) from the URL the origin wrote into the torrent.
    long pieceLength = entry.path("pieceLength").asLong();
    assertThat(entry.path("pieces").asInt()).isGreaterThan(1);
    assertThat(size % pieceLength).as("last piece is short").isNotZero();
    assertThat(result.path("pageOrigin").asString()).isNotEqualTo(result.path("mediaOrigin").asString());
    assertThat(URI.create(mediaUrl).getRawPath()).isEqualTo("/media/web%20seed/clip%20one.bin");
    assertThat(leecher.path("infoHash").asString()).isEqualTo(entry.path("infoHash").asString());
    assertThat(leecher.path("urlList")).hasSize(1);
    assertThat(leecher.path("urlList").path(0).asString()).isEqualTo(mediaUrl);
    assertThat(leecher.path("pieces").asInt()).isEqualTo(entry.path("pieces").asInt());

    // Exactly the right bytes, hashed inside the page.
    assertThat(leecher.path("done").asBoolean()).as("download finished; warnings: %s", leecher.path("warnings")).isTrue();
    assertThat(leecher.path("size").asLong()).isEqualTo(size);
    assertThat(leecher.path("sha256").asString()).isEqualTo(result.path("sha256").asString());

    // All of them from the web seed: one wire, of type webSeed, that delivered every byte.
    JsonNode wires = leecher.path("wires");
    assertThat(wires).hasSize(1);
    assertThat(wires.path(0).path("type").asString()).isEqualTo("webSeed");
    assertThat(wires.path(0).path("downloaded").asLong()).isEqualTo(size);

    // What the browser saw of the web seed: only 206 answers to ranges, with CORS and a Date.
    JsonNode responses = result.path("webSeedResponses");
    assertThat(result.path("webSeedFailures")).as("failed web seed requests").isEmpty();
    assertThat(responses.size()).isGreaterThanOrEqualTo(entry.path("pieces").asInt());
    long served = 0;
    for (JsonNode response : responses) {
      String range = response.path("range").asString();
      assertThat(response.path("status").asInt()).as("status for %s", range).isEqualTo(206);
      assertThat(range).matches("bytes=\\d+-\\d+");
      String[] bounds = range.substring("bytes=".length()).split("-");
      assertThat(response.path("contentRange").asString())
          .isEqualTo("bytes " + bounds[0] + "-" + bounds[1] + "/" + size);
      assertThat(response.path("contentLength").asLong())
          .isEqualTo(Long.parseLong(bounds[1]) - Long.parseLong(bounds[0]) + 1);
      assertThat(response.path("allowOrigin").asString()).isEqualTo("*");
      assertThat(response.path("exposeHeaders").asString()).contains("Content-Range", "Content-Length");
      assertThat(HttpDate.parse(response.path("date").asString())).as("Date of %s", range).isPositive();
      served += response.path("contentLength").asLong();
    }
    assertThat(served).isGreaterThanOrEqualTo(size);

    // The origin counted every one of those bytes for this file, and nothing else touched it.
    JsonNode stats = result.path("originStats");
    assertThat(stats.path("path").asString()).isEqualTo("web seed/clip one.bin");
    assertThat(stats.path("bytes").asLong()).isEqualTo(served);
    assertThat(stats.path("requests").asLong()).isEqualTo(responses.size());
  }
}
