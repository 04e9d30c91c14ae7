package io.swarmcdn.torrent.engine;

import io.swarmcdn.torrent.metainfo.Info;

/**
 * Events of a {@link TorrentEngine}, called synchronously on the engine's thread (keep them
 * short; enqueue heavy work). Every method has an empty default.
 */
public interface EngineListener {

    /** Handshake completed: the peer talks about our torrent. */
    default void peerConnected(Peer peer) {
    }

    /** The connection ended (closed by us with this reason, or by the transport). */
    default void peerClosed(Peer peer, String reason) {
    }

    /**
     * The peer's address is banned (sent data that failed verification, or metadata that does not
     * match the info-hash): it is disconnected and will be refused from now on.
     */
    default void peerBanned(String address, String reason) {
    }

    /** A magnet start fetched the info dictionary (BEP 9) and verified it against the info-hash. */
    default void metadataReceived(Info info) {
    }

    /** A piece passed SHA-1 verification and is now announced to peers. */
    default void pieceVerified(int piece) {
    }

    /** A piece failed SHA-1 verification; it is discarded and fetched again. */
    default void pieceFailed(int piece) {
    }

    /** Every piece is verified. */
    default void downloadComplete() {
    }

    /** Storage failed; the engine stops downloading that piece / serving that request. */
    default void storageFailed(String what, RuntimeException error) {
    }
}
