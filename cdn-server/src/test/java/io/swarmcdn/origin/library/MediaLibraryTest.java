package io.swarmcdn.origin.library;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmcdn.origin.OriginServer;
import io.swarmcdn.origin.catalog.Catalog;
import io.swarmcdn.origin.catalog.CatalogStore;
import io.swarmcdn.torrent.metainfo.InfoHash;
import io.swarmcdn.torrent.metainfo.Metainfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The library against a real folder and the real server: restarts, changes, deletions. */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class MediaLibraryTest {
  @TempDir Path dir;

  static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void restartWithTheSameDataFolderDoesNotHashUnchangedFilesAgain() throws Exception {
    Path media = dir.resolve("media");
    Path data = dir.resolve("data");
    String hashA;
    FileTime torrentTime;
    try (OriginServer first = new OriginServer(media, data)) {
      Files.createDirectories(media);
      first.putMedia("a.bin", random(200_000, 1));
      first.putMedia("deep/er/b.bin", random(100_000, 2));
      first.start();
      hashA = first.awaitReady("a.bin").get("infoHash").asString();
      first.awaitReady("deep/er/b.bin");
      assertThat(first.bean(MediaLibrary.class).hashedFiles()).isEqualTo(2);
      torrentTime = Files.getLastModifiedTime(
          first.bean(CatalogStore.class).torrentFile(InfoHash.fromHex(hashA)));
    }
    // Change b while the server is down: only b must be hashed at the next start.
    Path b = media.resolve("deep/er/b.bin");
    Files.write(b, random(100_001, 3));
    Files.setLastModifiedTime(b, FileTime.fromMillis(System.currentTimeMillis() - 30_000));

    try (OriginServer second = new OriginServer(media, data).start()) {
      JsonNode a = second.json("/api/v1/files/" + hashA);
      assertThat(a.get("status").asString()).isEqualTo("ready");
      assertThat(a.get("mediaUrl").asString()).isEqualTo(second.url("/media/a.bin"));
      JsonNode bEntry = second.awaitReady("deep/er/b.bin");
      assertThat(bEntry.get("size").asLong()).isEqualTo(100_001);
      MediaLibrary library = second.bean(MediaLibrary.class);
      OriginServer.await(Duration.ofSeconds(5), () -> library.hashing().isEmpty());
      assertThat(library.hashedFiles()).isEqualTo(1);
      assertThat(Files.getLastModifiedTime(second.bean(CatalogStore.class)
          .torrentFile(InfoHash.fromHex(hashA)))).isEqualTo(torrentTime);
      // The torrent is rebuilt for the new port without a rehash; the info-hash is unchanged.
      assertThat(second.send(second.request("/torrents/" + hashA + ".torrent").GET().build())
          .statusCode()).isEqualTo(200);
    }
  }

  /**
   * Regression: the same file (name and bytes) at two paths has one info-hash, and its .torrent
   * listed only the copy published first as web seed.
   */
  @Test
  void sameContentAtTwoPathsListsBothAsWebSeeds() throws Exception {
    Path media = Files.createDirectories(dir.resolve("media"));
    try (OriginServer server = new OriginServer(media, dir.resolve("data")).start()) {
      byte[] content = random(120_000, 7);
      server.putMedia("one/clip.bin", content);
      server.putMedia("two/clip.bin", content);
      String hash = server.awaitReady("one/clip.bin").get("infoHash").asString();
      assertThat(server.awaitReady("two/clip.bin").get("infoHash").asString()).isEqualTo(hash);
      Metainfo torrent = Metainfo.parse(
          server.send(server.request("/torrents/" + hash + ".torrent").GET().build()).body());
      assertThat(torrent.infoHash().hex()).isEqualTo(hash);
      assertThat(torrent.webSeeds()).containsExactly(
          server.url("/media/one/clip.bin"), server.url("/media/two/clip.bin"));
    }
  }

  @Test
  void filesChangedAddedRenamedAndDeletedWhileRunningArePickedUp() throws Exception {
    Path media = Files.createDirectories(dir.resolve("media"));
    try (OriginServer server = new OriginServer(media, dir.resolve("data")).start()) {
      Path file = server.putMedia("live/clip.bin", random(150_000, 4));
      String before = server.awaitReady("live/clip.bin").get("infoHash").asString();

      // Rewritten in place (fresh mtime): unpublished at once, rehashed once stable.
      byte[] changed = random(150_000, 5);
      Files.write(file, changed);
      OriginServer.await(Duration.ofSeconds(30), () -> {
        try {
          JsonNode e = server.json("/api/v1/lookup?url=/media/live/clip.bin");
          return e.get("status").asString().equals("ready")
              && !e.get("infoHash").asString().equals(before);
        } catch (Exception | AssertionError ex) {
          return false;
        }
      });
      assertThat(server.get("/api/v1/files/" + before).statusCode()).isEqualTo(404);
      assertThat(server.send(server.request("/media/live/clip.bin").GET().build()).body())
          .isEqualTo(changed);

      Files.move(file, media.resolve("live/renamed.bin"));
      server.awaitReady("live/renamed.bin");
      OriginServer.await(Duration.ofSeconds(10),
          () -> statusOf(server, "/media/live/clip.bin") == 404);

      Files.delete(media.resolve("live/renamed.bin"));
      OriginServer.await(Duration.ofSeconds(10),
          () -> statusOf(server, "/api/v1/lookup?url=/media/live/renamed.bin") == 404);
    }
  }

  @Test
  void aFileStillBeingWrittenIsNotHashedUntilStable() throws Exception {
    Path media = Files.createDirectories(dir.resolve("media"));
    try (OriginServer server = new OriginServer(media, dir.resolve("data"),
        "--swarmcdn.stable-after=2s").start()) {
      Path growing = media.resolve("growing.bin");
      long start = System.nanoTime();
      try (var out = Files.newOutputStream(growing)) {
        for (int i = 0; i < 10; i++) {
          out.write(random(10_000, i));
          out.flush();
          Thread.sleep(150);
          assertThat(server.bean(MediaLibrary.class).hashedFiles()).isZero();
        }
      }
      JsonNode entry = server.awaitReady("growing.bin");
      assertThat(System.nanoTime() - start).isGreaterThan(Duration.ofSeconds(2).toNanos());
      assertThat(entry.get("size").asLong()).isEqualTo(100_000);
      assertThat(server.bean(MediaLibrary.class).hashedFiles()).isEqualTo(1);
    }
  }

  /**
   * Regression: Spring's test framework stops and restarts the lifecycle beans of a cached
   * context; the library's second start failed (its catalog saver had been shut down).
   */
  @Test
  void libraryStoppedAndStartedAgainKeepsWorking() throws Exception {
    Path media = Files.createDirectories(dir.resolve("media"));
    try (OriginServer server = new OriginServer(media, dir.resolve("data")).start()) {
      server.putMedia("first.bin", random(20_000, 1));
      server.awaitReady("first.bin");
      server.context().stop();
      server.context().start();
      // The restarted web server has another port: ask the catalog directly.
      Catalog catalog = server.bean(Catalog.class);
      server.putMedia("second.bin", random(20_000, 2));
      OriginServer.await(Duration.ofSeconds(30),
          () -> catalog.get(MediaPath.parse("second.bin")).isPresent());
      assertThat(catalog.size()).isEqualTo(2);
    }
  }

  private static int statusOf(OriginServer server, String path) {
    try {
      return server.get(path).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }
}
