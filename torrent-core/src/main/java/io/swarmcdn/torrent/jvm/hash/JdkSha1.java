package io.swarmcdn.torrent.jvm.hash;

import io.swarmcdn.torrent.create.Sha1;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** {@link Sha1} on the JDK's MessageDigest (SHA-1 is JIT-intrinsified); one digest per thread. */
public final class JdkSha1 implements Sha1 {
  private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(JdkSha1::newDigest);

  @Override
  public byte[] digest(byte[] data, int offset, int length) {
    MessageDigest md = DIGEST.get();
    md.update(data, offset, length);
    return md.digest();
  }

  static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime must provide SHA-1", e);
    }
  }
}
