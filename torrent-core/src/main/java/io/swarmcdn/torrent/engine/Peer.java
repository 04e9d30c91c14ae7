package io.swarmcdn.torrent.engine;

/**
 * One peer connection as the engine's user sees it: the handle passed back to
 * {@link TorrentEngine#onBytes}, {@link TorrentEngine#onClosed} and
 * {@link TorrentEngine#onWritable}, and read-only statistics.
 */
public interface Peer {

    /** The address the transport gave when adding the peer (ban key). */
    String address();

    /** The peer's 20-byte id from its handshake (a copy), or null before the handshake. */
    byte[] peerId();

    /** Payload bytes (block data) received from this peer. */
    long downloadedBytes();

    /** Payload bytes (block data) sent to this peer. */
    long uploadedBytes();

    /** Recent download rate from the peer, bytes/s. */
    int downloadRate();

    /** Recent upload rate to the peer, bytes/s. */
    int uploadRate();

    /** Whether we currently choke the peer. */
    boolean amChoking();

    /** Whether the peer chokes us. */
    boolean isChokingUs();

    /** Whether the peer is interested in our pieces. */
    boolean isInterested();

    /** Whether the connection is closed. */
    boolean isClosed();
}
