package io.swarmcdn.torrent.create;

/**
 * The automatic piece length rule.
 *
 * <p><b>Rule:</b> the smallest power of two between 16 KiB and 16 MiB that cuts the content into
 * at most {@value #TARGET_PIECES} pieces; 16 MiB when even that gives more pieces (content above
 * 16 GiB). Examples: up to 16 MiB of content gets 16 KiB pieces, 100 MB gets 128 KiB, 1 GiB gets
 * 1 MiB, 4 GiB gets 4 MiB.
 *
 * <p><b>Why:</b> about a thousand pieces keeps the .torrent small (20 bytes of hash each, so
 * ~20 KB of {@code pieces}) and the piece bitfield tiny, while pieces stay small enough that a
 * browser peer verifies and plays data soon after it starts and a web-seed fallback fetches little
 * more than it needs. 16 KiB is the request block size (no smaller piece makes sense) and 16 MiB
 * bounds the memory one piece costs a peer.
 */
public final class PieceLengths {
  public static final int MIN = 16 * 1024;
  public static final int MAX = 16 * 1024 * 1024;
  public static final int TARGET_PIECES = 1024;

  private PieceLengths() {}

  /** The piece length for content of {@code totalLength} bytes (see the class comment). */
  public static int automatic(long totalLength) {
    if (totalLength < 0) {
      throw new IllegalArgumentException("negative length " + totalLength);
    }
    int length = MIN;
    while (length < MAX && (totalLength + length - 1) / length > TARGET_PIECES) {
      length <<= 1;
    }
    return length;
  }
}
