package io.swarmcdn.origin.library;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Walks the media folder. Symlinks are followed only while their target stays inside the
 * folder (real paths compared), hidden and temporary names are skipped at any depth, and
 * unreadable entries or symlink loops are skipped rather than failing the scan.
 */
final class LibraryScanner {
  private static final Logger log = LoggerFactory.getLogger(LibraryScanner.class);

  /** The regular files found and the directories walked (for the watcher). */
  record Scan(Map<MediaPath, FileState> files, List<Path> directories) {}

  private LibraryScanner() {}

  static Scan scan(Path root) throws IOException {
    Path realRoot = root.toRealPath();
    Map<MediaPath, FileState> files = new HashMap<>();
    List<Path> directories = new ArrayList<>();
    Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            if (!dir.equals(root)
                && (MediaPath.isIgnoredName(dir.getFileName().toString())
                    || !inside(realRoot, dir))) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            directories.add(dir);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            if (attrs.isRegularFile()
                && !MediaPath.isIgnoredName(file.getFileName().toString())
                && inside(realRoot, file)) {
              try {
                files.put(MediaPath.relative(root, file), FileState.of(attrs));
              } catch (IllegalArgumentException e) {
                log.warn("Not publishing {}: {}", file, e.getMessage());
              }
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            // Vanished meanwhile, unreadable, or a symlink loop: nothing to publish there.
            log.debug("Skipping {}: {}", file, e.toString());
            return FileVisitResult.CONTINUE;
          }
        });
    return new Scan(files, directories);
  }

  private static boolean inside(Path realRoot, Path p) throws IOException {
    try {
      return p.toRealPath().startsWith(realRoot);
    } catch (IOException e) {
      return false;
    }
  }
}
