package io.swarmcdn.torrent.bencode;

/**
 * Bounds applied while decoding untrusted bencode. Every bound is checked before the memory it
 * protects is allocated, so a hostile input costs at most its own size plus the decoded values.
 *
 * @param maxDepth deepest nesting of lists and dictionaries (1 = a flat list or dictionary)
 * @param maxTotalSize longest accepted input, in bytes
 * @param maxStringLength longest byte string, in bytes
 * @param maxItems most values in total (every string, integer, list and dictionary counts one;
 *     a dictionary key counts one too)
 */
public record BencodeLimits(int maxDepth, int maxTotalSize, int maxStringLength, int maxItems) {
  /**
   * Generous enough for any .torrent we accept (a 1 TiB file in 256 KiB pieces carries 80 MiB of
   * piece hashes): depth 64, 128 MiB input, strings up to 128 MiB, a million values. Network
   * messages should use much smaller limits.
   */
  public static final BencodeLimits DEFAULT = new BencodeLimits(64, 128 << 20, 128 << 20, 1_000_000);

  public BencodeLimits {
    if (maxDepth < 1 || maxTotalSize < 1 || maxStringLength < 0 || maxItems < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }

  public BencodeLimits withMaxDepth(int depth) {
    return new BencodeLimits(depth, maxTotalSize, maxStringLength, maxItems);
  }

  public BencodeLimits withMaxTotalSize(int size) {
    return new BencodeLimits(maxDepth, size, maxStringLength, maxItems);
  }

  public BencodeLimits withMaxStringLength(int length) {
    return new BencodeLimits(maxDepth, maxTotalSize, length, maxItems);
  }

  public BencodeLimits withMaxItems(int items) {
    return new BencodeLimits(maxDepth, maxTotalSize, maxStringLength, items);
  }
}
