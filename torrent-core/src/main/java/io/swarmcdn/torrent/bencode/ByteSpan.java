package io.swarmcdn.torrent.bencode;

/**
 * Where an encoded value sits in the decoder's input: bytes {@code [start, end)}.
 *
 * <p>Needed wherever a value must be hashed exactly as received, never re-encoded: the info
 * dictionary of a .torrent (BEP 3 info-hash) or metadata received with BEP 9.
 */
public record ByteSpan(int start, int end) {
  public ByteSpan {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
    }
  }

  public int length() {
    return end - start;
  }

  /** A copy of the spanned bytes of {@code source}. */
  public byte[] copyFrom(byte[] source) {
    return java.util.Arrays.copyOfRange(source, start, end);
  }
}
