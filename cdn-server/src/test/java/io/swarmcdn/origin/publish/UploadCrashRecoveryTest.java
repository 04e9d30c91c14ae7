package io.swarmcdn.origin.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmcdn.origin.OriginServer;
import io.swarmcdn.origin.library.MediaLibrary;
import io.swarmcdn.torrent.metainfo.Metainfo;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * An OS crash after the 201 of an upload but before its background flush: the disk may hold the
 * file's name and size but not all its bytes. The data folder is then as it was before the
 * upload (the entry is saved only after the flush, which {@code CatalogDurabilityTest} pins), so
 * the next start must hash the file again and publish a torrent of what the disk really holds.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UploadCrashRecoveryTest {
  @TempDir Path dir;

  @Test
  void crashBeforeTheFlushMakesTheNextStartHashWhatTheDiskHolds() throws Exception {
    Path media = dir.resolve("media");
    Path data = dir.resolve("data");
    Path dataAtCrash = dir.resolve("data-at-crash");
    byte[] content = new byte[200_000];
    new Random(1).nextBytes(content);
    try (OriginServer server = new OriginServer(media, data).start()) {
      copy(data, dataAtCrash);
      HttpResponse<String> r = server.http.send(server.authorized("/api/v1/files?path=c/up.bin&sync=false")
          .POST(HttpRequest.BodyPublishers.ofByteArray(content)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }
    // The crash: the saved catalog and torrents are those of before the upload, and the file's
    // last 50,000 bytes never reached the disk (zeros), with its size and mtime intact.
    Path file = media.resolve("c/up.bin");
    FileTime mtime = Files.getLastModifiedTime(file);
    byte[] onDisk = content.clone();
    Arrays.fill(onDisk, 150_000, onDisk.length, (byte) 0);
    Files.write(file, onDisk);
    Files.setLastModifiedTime(file, mtime);
    copy(dataAtCrash, data);

    try (OriginServer restarted = new OriginServer(media, data).start()) {
      JsonNode entry = restarted.awaitReady("c/up.bin");
      assertThat(restarted.bean(MediaLibrary.class).hashedFiles()).isEqualTo(1);
      Metainfo torrent = Metainfo.parse(restarted.send(restarted.request(
          "/torrents/" + entry.get("infoHash").asString() + ".torrent").GET().build()).body());
      UploadApiTest.assertEveryPieceMatches(torrent, onDisk);
    }
  }

  /** Replaces {@code to} by a copy of the folder {@code from}. */
  private static void copy(Path from, Path to) throws Exception {
    if (Files.exists(to)) {
      try (Stream<Path> old = Files.walk(to)) {
        for (Path p : old.sorted((a, b) -> b.compareTo(a)).toList()) {
          Files.delete(p);
        }
      }
    }
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }
}
