package io.swarmcdn.origin.publish;

import io.swarmcdn.origin.library.MediaLibrary;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Where uploads are written before they are published: {@code <media-dir>/.uploads}, hidden (so
 * the library never sees a half-written file) and on the media folder's file system (so the
 * final rename is atomic). Leftovers of a crash are deleted at start.
 */
@Component
final class UploadArea {
  private static final Logger log = LoggerFactory.getLogger(UploadArea.class);
  static final String DIR = ".uploads";

  private final Path dir;

  UploadArea(MediaLibrary library) throws IOException {
    this.dir = library.root().resolve(DIR);
    Files.createDirectories(dir);
    try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir)) {
      for (Path p : leftovers) {
        log.info("Deleting unfinished upload {}", p);
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * A new empty file for an upload. Not {@code Files.createTempFile}: its owner-only permissions
   * would stick to the published file; this one gets the usual umask-based ones.
   */
  Path newTempFile() throws IOException {
    return Files.createFile(dir.resolve("upload-" + UUID.randomUUID() + ".part"));
  }
}
