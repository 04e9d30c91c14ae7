package io.swarmcdn.origin.library;

import java.util.concurrent.atomic.AtomicLong;

/** A file waiting for or being hashed, with how far the hashing got (shown by the API). */
public final class HashProgress {
  private final MediaPath path;
  private final long size;
  private final AtomicLong bytesHashed = new AtomicLong();

  HashProgress(MediaPath path, long size) {
    this.path = path;
    this.size = size;
  }

  public MediaPath path() {
    return path;
  }

  public long size() {
    return size;
  }

  public long bytesHashed() {
    return bytesHashed.get();
  }

  /** From 0 to 1. */
  public double fraction() {
    return size == 0 ? 0 : Math.min(1.0, (double) bytesHashed.get() / size);
  }

  void update(long bytes) {
    bytesHashed.set(bytes);
  }
}
