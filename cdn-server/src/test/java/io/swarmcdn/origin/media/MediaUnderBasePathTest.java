package io.swarmcdn.origin.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmcdn.origin.OriginServer;
import io.swarmcdn.torrent.metainfo.Metainfo;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code spring.webflux.base-path} applies to media like to every other route. Regression test for
 * "base-path not applied to the media route": the media route runs before Spring, so with base
 * path {@code /cdn} media stayed at {@code /media/...} while the torrents' web seeds, the API and
 * the trackers moved (or, with a derived public URL, none of the URLs carried the prefix).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MediaUnderBasePathTest {
  @TempDir static Path dir;
  static OriginServer server;
  static byte[] content;
  static JsonNode entry;

  @BeforeAll
  static void start() throws Exception {
    content = new byte[100_000];
    new Random(5).nextBytes(content);
    server = new OriginServer(dir.resolve("media"), dir.resolve("data"),
        "--spring.webflux.base-path=/cdn/");
    Files.createDirectories(server.media());
    server.putMedia("clip.bin", content);
    server.start();
    OriginServer.await(java.time.Duration.ofSeconds(60), () -> {
      try {
        for (JsonNode item : server.json("/cdn/api/v1/files").get("items")) {
          if (item.get("status").asString().equals("ready")) {
            entry = item;
            return true;
          }
        }
        return false;
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void publishedUrlsCarryTheBasePath() throws Exception {
    String base = server.url("/cdn");
    assertThat(entry.get("mediaUrl").asString()).isEqualTo(base + "/media/clip.bin");
    assertThat(entry.get("torrentUrl").asString()).startsWith(base + "/torrents/");
    HttpResponse<byte[]> torrent = server.send(server.request(
        entry.get("torrentUrl").asString().substring(server.url("").length())).GET().build());
    assertThat(torrent.statusCode()).isEqualTo(200);
    Metainfo metainfo = Metainfo.parse(torrent.body());
    assertThat(metainfo.webSeeds()).containsExactly(base + "/media/clip.bin");
    assertThat(metainfo.trackers()).contains(base + "/announce");
  }

  @Test
  void mediaIsServedBelowTheBasePathOnly() throws Exception {
    HttpResponse<byte[]> ranged = server.send(server.request("/cdn/media/clip.bin")
        .header("Range", "bytes=10-19").GET().build());
    assertThat(ranged.statusCode()).isEqualTo(206);
    assertThat(ranged.body()).isEqualTo(Arrays.copyOfRange(content, 10, 20));
    assertThat(ranged.headers().firstValue("Date")).isPresent();

    HttpResponse<byte[]> preflight = server.send(server.request("/cdn/media/clip.bin")
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", "https://site.example")
        .header("Access-Control-Request-Method", "GET")
        .header("Access-Control-Request-Headers", "range").build());
    assertThat(preflight.statusCode()).isEqualTo(200);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");

    for (String outside : List.of("/media/clip.bin", "/cdn/api/media/clip.bin")) {
      HttpResponse<byte[]> r = server.send(server.request(outside).GET().build());
      assertThat(r.statusCode()).as(outside).isEqualTo(404);
    }
    assertThat(server.get("/cdn").statusCode()).as("/cdn").isEqualTo(404);
    JsonNode lookup = server.json("/cdn/api/v1/lookup?url=" + java.net.URLEncoder.encode(
        entry.get("mediaUrl").asString(), java.nio.charset.StandardCharsets.UTF_8));
    assertThat(lookup.get("infoHash").asString()).isEqualTo(entry.get("infoHash").asString());
  }

  /**
   * Regression test for "a path that splits the base path answers 500": Spring's context-path
   * dispatch threw "Invalid contextPath" for {@code /cdnx} (the base path's characters, not its
   * segment), a 500 logged as an error for any client that asked.
   */
  @Test
  void pathsThatSplitTheBasePathAnswerJson404() throws Exception {
    for (String path : List.of("/cdnmedia/clip.bin", "/cdnx", "/cdn%2Fmedia/clip.bin")) {
      HttpResponse<String> r = server.get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(404);
      assertThat(r.body()).as(path).contains("\"error\":\"not_found\"");
    }
  }
}
