package io.swarmcdn.torrent.jvm.hash;

import java.nio.ByteBuffer;
import java.security.MessageDigest;

/**
 * Per-thread scratch of the hashing workers: one MessageDigest and one direct read buffer, reused
 * across jobs so that hashing many small files allocates nothing per file.
 */
final class WorkerState {
  private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(JdkSha1::newDigest);
  private static final ThreadLocal<ByteBuffer> BUFFER = new ThreadLocal<>();

  private WorkerState() {}

  static MessageDigest digest() {
    MessageDigest md = DIGEST.get();
    md.reset();
    return md;
  }

  static ByteBuffer buffer(int capacity) {
    ByteBuffer b = BUFFER.get();
    if (b == null || b.capacity() < capacity) {
      b = ByteBuffer.allocateDirect(capacity);
      BUFFER.set(b);
    }
    b.clear();
    return b;
  }
}
