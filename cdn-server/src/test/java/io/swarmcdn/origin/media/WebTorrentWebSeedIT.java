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
 * {@code Range} requests; then a fresh page does the same from nothing but the API's magnet URI
 * (WebTorrent fetches the .torrent from its {@code xs=}). The file is generated, spans 193 pieces
 * and is no multiple of the piece length, its name needs percent-encoding in the web seed URL;
 * nobody else is in the swarm. So each download completes
 * with the right bytes only if our CORS (preflights and exposed headers), range answers, torrent
 * and magnet URLs all work for a real browser client; and the origin must count every byte it
 * sent for the file.
 */
class WebTorrentWebSeedIT {
  /** Where interop-tests/scenarios/browser-webseed.mjs puts the file in the media folder. */
  private static final String MEDIA_PATH = "web seed/clip #1 \u00e9t\u00e9+50%.bin";

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void browserDownloadsFromOurWebSeedAlone() throws Exception {
    JsonNode result = LoopbackScenario.run("browser-webseed", 60);
    long size = result.path("size").asLong();
    JsonNode entry = result.path("entry");
    String mediaUrl = entry.path("mediaUrl").asString();

    // The setting this test is about: a multi-piece file with a short last piece, served to a
    // page of another origin (CORS applies) from the URL the origin wrote into the torrent.
    long pieceLength = entry.path("pieceLength").asLong();
    assertThat(entry.path("pieces").asInt()).isGreaterThan(1);
    assertThat(size % pieceLength).as("last piece is short").isNotZero();
    assertThat(result.path("pageOrigin").asString()).isNotEqualTo(result.path("mediaOrigin").asString());
    // Spaces, '#', '+', '%' and non-ASCII in the name: the URL in the torrent must be encoded right.
    assertThat(URI.create(mediaUrl).getRawPath())
        .isEqualTo("/media/web%20seed/clip%20%231%20%C3%A9t%C3%A9+50%25.bin");

    JsonNode byTorrentFile = result.path("torrentFile");
    JsonNode byMagnet = result.path("magnet");
    long servedForFile = assertDownloadedFromTheWebSeedAlone("from the .torrent", byTorrentFile, result);
    long servedForMagnet = assertDownloadedFromTheWebSeedAlone("from the magnet URI", byMagnet, result);

    // The origin counted every one of those bytes for this file, and nothing else touched it.
    JsonNode afterFile = byTorrentFile.path("originStats");
    assertThat(afterFile.path("path").asString()).isEqualTo(MEDIA_PATH);
    assertThat(afterFile.path("bytes").asLong()).isEqualTo(servedForFile);
    assertThat(afterFile.path("requests").asLong()).isEqualTo(byTorrentFile.path("webSeedResponses").size());
    JsonNode afterMagnet = byMagnet.path("originStats");
    assertThat(afterMagnet.path("bytes").asLong()).isEqualTo(servedForFile + servedForMagnet);
    assertThat(afterMagnet.path("requests").asLong()).isEqualTo(
        byTorrentFile.path("webSeedResponses").size() + byMagnet.path("webSeedResponses").size());
  }

  /** Asserts one download, returns the content bytes the page received from the web seed. */
  private static long assertDownloadedFromTheWebSeedAlone(String how, JsonNode download, JsonNode result) {
    long size = result.path("size").asLong();
    JsonNode entry = result.path("entry");
    JsonNode leecher = download.path("leecher");
    assertThat(leecher.path("infoHash").asString()).as(how).isEqualTo(entry.path("infoHash").asString());
    assertThat(leecher.path("urlList")).as(how).hasSize(1);
    assertThat(leecher.path("urlList").path(0).asString()).as(how).isEqualTo(entry.path("mediaUrl").asString());
    assertThat(leecher.path("pieces").asInt()).as(how).isEqualTo(entry.path("pieces").asInt());

    // Exactly the right bytes, hashed inside the page.
    assertThat(leecher.path("done").asBoolean()).as("%s: download finished; warnings: %s", how, leecher.path("warnings")).isTrue();
    assertThat(leecher.path("size").asLong()).as(how).isEqualTo(size);
    assertThat(leecher.path("sha256").asString()).as(how).isEqualTo(result.path("sha256").asString());

    // All of them from the web seed: one wire, of type webSeed, that delivered every byte.
    JsonNode wires = leecher.path("wires");
    assertThat(wires).as(how).hasSize(1);
    assertThat(wires.path(0).path("type").asString()).as(how).isEqualTo("webSeed");
    assertThat(wires.path(0).path("downloaded").asLong()).as(how).isEqualTo(size);

    // What the browser saw of the web seed: only 206 answers to ranges, with CORS and a Date.
    JsonNode responses = download.path("webSeedResponses");
    assertThat(download.path("webSeedFailures")).as("%s: failed requests", how).isEmpty();
    assertThat(responses.size()).as(how).isGreaterThanOrEqualTo(entry.path("pieces").asInt());
    long served = 0;
    for (JsonNode response : responses) {
      String range = response.path("range").asString();
      assertThat(response.path("status").asInt()).as("%s: status for %s", how, range).isEqualTo(206);
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
    assertThat(served).as(how).isGreaterThanOrEqualTo(size);
    return served;
  }
}
