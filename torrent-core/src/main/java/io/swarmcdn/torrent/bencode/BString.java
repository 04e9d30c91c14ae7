package io.swarmcdn.torrent.bencode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A bencoded byte string. Bencode strings are raw bytes; {@link #asUtf8()} is only a view for the
 * many keys and fields that BEP 3 defines as UTF-8 text.
 *
 * <p>Ordering ({@link #compareTo}) is unsigned byte-wise lexicographic, the order BEP 3 requires
 * for dictionary keys ("sorted as raw strings, not alphanumerics").
 */
public final class BString implements BValue, Comparable<BString> {
  private final byte[] bytes;

  private BString(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A string holding a copy of {@code bytes}. */
  public static BString of(byte[] bytes) {
    return new BString(bytes.clone());
  }

  /** A string holding the UTF-8 encoding of {@code utf8}. */
  public static BString of(String utf8) {
    return new BString(utf8.getBytes(StandardCharsets.UTF_8));
  }

  /** Wraps without copying; only for arrays nobody else holds. */
  static BString wrap(byte[] bytes) {
    return new BString(bytes);
  }

  /** A copy of the raw bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The number of bytes. */
  public int length() {
    return bytes.length;
  }

  /** The bytes decoded as UTF-8 (malformed sequences become U+FFFD). */
  public String asUtf8() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** Whether the bytes equal the UTF-8 encoding of {@code utf8}. */
  public boolean contentEquals(String utf8) {
    return Arrays.equals(bytes, utf8.getBytes(StandardCharsets.UTF_8));
  }

  byte[] raw() {
    return bytes;
  }

  @Override
  public int compareTo(BString other) {
    // A loop rather than Arrays.compareUnsigned (Java 9), which the browser build may lack.
    byte[] b = other.bytes;
    int n = Math.min(bytes.length, b.length);
    for (int i = 0; i < n; i++) {
      int c = (bytes[i] & 0xff) - (b[i] & 0xff);
      if (c != 0) {
        return c;
      }
    }
    return bytes.length - b.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BString s && Arrays.equals(bytes, s.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return asUtf8();
  }
}
