package io.swarmcdn.torrent.jvm.hash;

/**
 * Progress of a hashing run. Calls are serialized (never concurrent) but may come from any worker
 * thread; keep them cheap.
 */
@FunctionalInterface
public interface Progress {
  Progress NONE = (bytesHashed, totalBytes) -> {};

  /**
   * @param bytesHashed bytes hashed so far
   * @param totalBytes the total, or -1 when unknown (a stream)
   */
  void update(long bytesHashed, long totalBytes);
}
