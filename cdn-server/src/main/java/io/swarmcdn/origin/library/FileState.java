package io.swarmcdn.origin.library;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

/**
 * What the catalog remembers of a file to decide whether it changed: size and modification time
 * (nanoseconds, as precise as the file system keeps it). Equal states mean "not hashed again".
 */
public record FileState(long size, long mtimeNanos) {

  /** The state of the regular file at {@code file} (symlinks followed). */
  public static FileState of(Path file) throws IOException {
    return of(Files.readAttributes(file, BasicFileAttributes.class));
  }

  public static FileState of(BasicFileAttributes attributes) {
    return new FileState(
        attributes.size(), attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS));
  }

  public long mtimeMillis() {
    return TimeUnit.NANOSECONDS.toMillis(mtimeNanos);
  }
}
