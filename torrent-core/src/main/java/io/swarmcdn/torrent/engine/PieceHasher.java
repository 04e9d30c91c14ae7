package io.swarmcdn.torrent.engine;

import io.swarmcdn.torrent.create.Sha1;

/**
 * Computes the SHA-1 of a complete piece for verification, possibly asynchronously: the browser
 * hashes with {@code crypto.subtle.digest} (a promise, and an order of magnitude faster than SHA-1
 * compiled to JavaScript), the JVM may hash on other cores while the engine thread keeps moving
 * bytes. The default, {@link #of(Sha1)}, hashes synchronously on the engine thread.
 */
@FunctionalInterface
public interface PieceHasher {

    /** Receives the 20-byte digest. */
    @FunctionalInterface
    interface Done {
        void digested(byte[] sha1);
    }

    /**
     * Hashes {@code data[offset, offset + length)} and calls {@code done} exactly once, on the
     * engine's thread (for an asynchronous implementation: post it to the transport's event
     * loop), either before returning or later. The engine does not touch {@code data} until then.
     * If hashing fails, call {@code done} with null: the piece is then treated as failed.
     */
    void hash(byte[] data, int offset, int length, Done done);

    /** Hashes synchronously with {@code sha1}. */
    static PieceHasher of(Sha1 sha1) {
        return (data, offset, length, done) -> done.digested(sha1.digest(data, offset, length));
    }
}
