package io.swarmcdn.origin.library;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A file's path relative to the media folder, normalised and validated: {@code /}-separated
 * segments, none empty, {@code .} or {@code ..}, no backslash, control characters or U+FFFD (what
 * is left of bytes that were not UTF-8). Such a path
 * cannot escape the media folder by construction; every user-supplied path goes through {@link
 * #parse} (upload {@code path}, media URLs, lookups) and gets a 400 when it is rejected.
 */
public final class MediaPath implements Comparable<MediaPath> {
  /** Linux NAME_MAX is 255 bytes per segment; PATH_MAX 4096 for the whole path. */
  private static final int MAX_SEGMENT_BYTES = 255;

  private static final int MAX_PATH_CHARS = 4096;

  /** U+FFFD, the replacement character. */
  private static final char REPLACEMENT = '\uFFFD';

  private final String value;

  private MediaPath(String value) {
    this.value = value;
  }

  /**
   * Validates a relative path such as {@code videos/intro.mp4}.
   *
   * @throws IllegalArgumentException with a message fit for the client
   */
  public static MediaPath parse(String raw) {
    if (raw == null || raw.isEmpty()) {
      throw new IllegalArgumentException("path is empty");
    }
    if (raw.length() > MAX_PATH_CHARS) {
      throw new IllegalArgumentException("path is longer than " + MAX_PATH_CHARS + " characters");
    }
    if (raw.startsWith("/")) {
      throw new IllegalArgumentException("path must be relative to the media folder");
    }
    for (String segment : raw.split("/", -1)) {
      checkSegment(segment);
    }
    return new MediaPath(raw);
  }

  /**
   * Decodes the part of a URL path after {@code /media/}: each segment is percent-decoded on its
   * own, so an encoded {@code %2F} can never create a new segment and an encoded {@code ..} is
   * still rejected.
   */
  public static MediaPath fromUrlPath(String rawUrlPath) {
    if (rawUrlPath.length() > 3 * MAX_PATH_CHARS) {
      throw new IllegalArgumentException("path is too long");
    }
    String[] segments = rawUrlPath.split("/", -1);
    StringBuilder decoded = new StringBuilder(rawUrlPath.length());
    for (String segment : segments) {
      String s = URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
      if (s.indexOf('/') >= 0) {
        throw new IllegalArgumentException("encoded '/' in a path segment");
      }
      if (decoded.length() > 0) {
        decoded.append('/');
      }
      decoded.append(s);
    }
    return parse(decoded.toString());
  }

  /** The relative path of {@code file}, a path below {@code root} (both already normalised). */
  static MediaPath relative(Path root, Path file) {
    StringBuilder sb = new StringBuilder();
    for (Path part : root.relativize(file)) {
      if (sb.length() > 0) {
        sb.append('/');
      }
      sb.append(part);
    }
    return parse(sb.toString());
  }

  private static void checkSegment(String segment) {
    if (segment.isEmpty()) {
      throw new IllegalArgumentException("path has an empty segment");
    }
    if (segment.equals(".") || segment.equals("..")) {
      throw new IllegalArgumentException("path must not contain '.' or '..' segments");
    }
    if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
      throw new IllegalArgumentException("path segment longer than 255 bytes");
    }
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\\') {
        throw new IllegalArgumentException("path contains a control character or backslash");
      }
      if (c == REPLACEMENT) {
        // What decoding leaves of bytes that were not UTF-8 (a URL's %C0%AE, a file name in
        // another charset): publishing it would give the file another name than the one asked
        // for, and two different names the same one.
        throw new IllegalArgumentException("path is not valid UTF-8 (or contains U+FFFD)");
      }
    }
  }

  /**
   * Whether the library skips this path: hidden ({@code .*}, at any depth) or temporary
   * ({@code *.part}, {@code *.tmp}) names, which is also how in-progress uploads stay invisible.
   */
  public boolean isIgnored() {
    for (String segment : segments()) {
      if (isIgnoredName(segment)) {
        return true;
      }
    }
    return false;
  }

  static boolean isIgnoredName(String name) {
    return name.startsWith(".") || name.endsWith(".part") || name.endsWith(".tmp");
  }

  public List<String> segments() {
    return Arrays.asList(value.split("/"));
  }

  /** The last segment: the torrent's {@code name}. */
  public String fileName() {
    return value.substring(value.lastIndexOf('/') + 1);
  }

  /** This path inside {@code root}; never outside it (see the class comment). */
  public Path resolveIn(Path root) {
    return root.resolve(value);
  }

  @Override
  public int compareTo(MediaPath o) {
    return value.compareTo(o.value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MediaPath other && value.equals(other.value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  /** The relative path, {@code /}-separated. */
  @Override
  public String toString() {
    return value;
  }
}
