package io.swarmcdn.origin.tracker.swarm;

/**
 * A 20-byte BitTorrent peer id (BEP 3), the key of a peer within a swarm.
 *
 * <p>Kept as a 20-character ISO-8859-1 string (one char per byte): that is the form the
 * WebTorrent tracker protocol puts on the wire, Java stores it compactly (one byte per char), and
 * its hash code is cached.
 */
public final class PeerId {

  /** Length of a peer id in bytes (BEP 3). */
  public static final int LENGTH = 20;

  private final String binary;

  private PeerId(String binary) {
    this.binary = binary;
  }

  /**
   * @param bytes exactly 20 bytes
   * @throws IllegalArgumentException on any other length
   */
  public static PeerId of(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("peer id must be 20 bytes, got " + bytes.length);
    }
    char[] chars = new char[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      chars[i] = (char) (bytes[i] & 0xff);
    }
    return new PeerId(new String(chars));
  }

  /**
   * Parses the WebTorrent tracker form: 20 characters, each U+0000..U+00FF standing for one byte.
   *
   * @throws IllegalArgumentException on another length or a character above U+00FF
   */
  public static PeerId fromBinaryString(String binary) {
    if (binary.length() != LENGTH) {
      throw new IllegalArgumentException("peer id must be 20 characters, got " + binary.length());
    }
    for (int i = 0; i < LENGTH; i++) {
      if (binary.charAt(i) > 0xff) {
        throw new IllegalArgumentException("peer id has a character above U+00FF");
      }
    }
    return new PeerId(binary);
  }

  /** The 20 bytes (a copy). */
  public byte[] bytes() {
    byte[] bytes = new byte[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      bytes[i] = (byte) binary.charAt(i);
    }
    return bytes;
  }

  /** The WebTorrent tracker wire form: one char per byte. */
  public String toBinaryString() {
    return binary;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PeerId && ((PeerId) other).binary.equals(binary);
  }

  @Override
  public int hashCode() {
    return binary.hashCode();
  }

  /** Lowercase hex, for logs. */
  @Override
  public String toString() {
    StringBuilder hex = new StringBuilder(2 * LENGTH);
    for (byte b : bytes()) {
      hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return hex.toString();
  }
}
