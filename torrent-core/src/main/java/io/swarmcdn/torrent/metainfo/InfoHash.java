package io.swarmcdn.torrent.metainfo;

import java.util.Arrays;

/**
 * A BitTorrent v1 info-hash: the SHA-1 of the bencoded info dictionary exactly as it appears in the
 * .torrent file (BEP 3). A 20-byte value type.
 */
public final class InfoHash {
  public static final int LENGTH = 20;
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private final byte[] bytes;
  /**
   * Computed once: trackers look swarms up by info-hash several times per message, and hashing
   * the 20 bytes each time showed in their profiles.
   */
  private final int hash;

  private InfoHash(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /** The info-hash with these 20 bytes. */
  public static InfoHash of(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("an info-hash has 20 bytes, not " + bytes.length);
    }
    return new InfoHash(bytes.clone());
  }

  /** The SHA-1 of the raw bytes of an info dictionary. */
  public static InfoHash ofInfoBytes(byte[] infoBytes) {
    return new InfoHash(Sha1Portable.digest(infoBytes, 0, infoBytes.length));
  }

  /** Parses 40 hex digits (either case). */
  public static InfoHash fromHex(String hex) {
    if (hex.length() != 2 * LENGTH) {
      throw new IllegalArgumentException(
          "a hex info-hash has 40 digits, not " + hex.length() + ": '" + hex + "'");
    }
    byte[] b = new byte[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      int hi = Character.digit(hex.charAt(2 * i), 16);
      int lo = Character.digit(hex.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0) {
        throw new IllegalArgumentException("not a hex info-hash: '" + hex + "'");
      }
      b[i] = (byte) (hi << 4 | lo);
    }
    return new InfoHash(b);
  }

  /**
   * Parses the WebTorrent tracker's "binary string": 20 chars, one per byte, each U+0000..U+00FF.
   */
  public static InfoHash fromBinaryString(String s) {
    if (s.length() != LENGTH) {
      throw new IllegalArgumentException("a binary info-hash has 20 characters, not " + s.length());
    }
    byte[] b = new byte[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      char c = s.charAt(i);
      if (c > 0xff) {
        throw new IllegalArgumentException(
            "character U+" + Integer.toHexString(c) + " at index " + i + " is not a byte");
      }
      b[i] = (byte) c;
    }
    return new InfoHash(b);
  }

  /** The 20 bytes (a copy). */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** 40 lowercase hex digits. */
  public String hex() {
    char[] out = new char[2 * LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
      out[2 * i + 1] = HEX[bytes[i] & 0xf];
    }
    return new String(out);
  }

  /** One char per byte (ISO-8859-1), as in the WebTorrent tracker protocol. */
  public String toBinaryString() {
    char[] out = new char[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      out[i] = (char) (bytes[i] & 0xff);
    }
    return new String(out);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InfoHash h && hash == h.hash && Arrays.equals(bytes, h.bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return hex();
  }
}
