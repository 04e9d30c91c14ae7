package io.swarmcdn.torrent.engine;

import io.swarmcdn.torrent.peerwire.Handshake;
import io.swarmcdn.torrent.peerwire.RecordingHandler;
import io.swarmcdn.torrent.peerwire.WireDecoder;

/**
 * A scripted remote peer: the test writes raw wire bytes to the engine and reads what the engine
 * sent back, decoded by our own decoder into readable events.
 */
final class RawPeer implements PeerLink {

    final RecordingHandler received = new RecordingHandler();
    private final WireDecoder decoder = new WireDecoder(received, true, 1 << 20, 1 << 20);
    final TorrentEngine engine;
    final Peer handle;
    boolean closed;
    String closeReason;
    /** What {@link #bufferedBytes()} reports: a test sets it high to hold requests queued. */
    long buffered;

    RawPeer(TorrentEngine engine, String address) {
        this.engine = engine;
        this.handle = engine.addPeer(this, address);
    }

    @Override
    public void send(byte[] data, int offset, int length) {
        decoder.feed(data, offset, length);
    }

    @Override
    public long bufferedBytes() {
        return buffered;
    }

    @Override
    public void close(String reason) {
        closed = true;
        closeReason = reason;
    }

    RawPeer handshake(byte[] infoHash, boolean fast, boolean extended) {
        byte[] id = ("-RAW001-" + address()).getBytes();
        byte[] peerId = java.util.Arrays.copyOf(id, 20);
        return write(new Handshake(Handshake.reserved(extended, fast), infoHash, peerId).encode());
    }

    private String address() {
        return handle.address() + "------------";
    }

    RawPeer write(byte[]... messages) {
        for (byte[] m : messages) {
            engine.onBytes(handle, m, 0, m.length);
        }
        return this;
    }
}
