package io.swarmcdn.torrent.bencode;

/**
 * Malformed, non-canonical or over-limit bencode, or a value of the wrong type. The message says
 * what is wrong; {@link #offset()} says where (a byte offset in the decoded input, -1 if unknown).
 */
public final class BencodeException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int offset;

  public BencodeException(String problem, int offset) {
    super(offset >= 0 ? problem + " at byte " + offset : problem);
    this.offset = offset;
  }

  /** Byte offset in the input where the problem was found, or -1 if unknown. */
  public int offset() {
    return offset;
  }
}
