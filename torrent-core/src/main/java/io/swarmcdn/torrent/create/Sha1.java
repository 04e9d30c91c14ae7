package io.swarmcdn.torrent.create;

/**
 * SHA-1 of a byte range. Piece hashing is pluggable because torrent-core also runs in the browser
 * (TeaVM), where MessageDigest does not exist: the JVM implements this with MessageDigest
 * ({@code io.swarmcdn.torrent.jvm.hash.JdkSha1}), the browser with its own primitives.
 *
 * <p>Implementations must be safe to call from several threads at once if they are shared.
 */
public interface Sha1 {
  /** The 20-byte SHA-1 of {@code data[offset, offset + length)}. */
  byte[] digest(byte[] data, int offset, int length);
}
