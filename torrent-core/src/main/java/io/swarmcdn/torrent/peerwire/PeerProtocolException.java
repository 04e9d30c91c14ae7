package io.swarmcdn.torrent.peerwire;

/**
 * The remote peer broke the wire protocol (bad handshake, a length beyond the caps, a message of
 * the wrong size, a fast-extension message that was not negotiated...). The message is the
 * reason the connection is closed with; only that one peer is affected.
 */
public final class PeerProtocolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PeerProtocolException(String reason) {
        super(reason, null, false, false);
    }
}
