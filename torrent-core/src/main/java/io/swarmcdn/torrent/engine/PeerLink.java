package io.swarmcdn.torrent.engine;

/**
 * The transport side of one peer connection (a TCP socket on the JVM, a WebRTC data channel in
 * the browser), as the sans-I/O engine sees it. The engine writes through it; the transport feeds
 * what it reads back with {@code TorrentEngine.onBytes}, reports the end with
 * {@code TorrentEngine.onClosed} and, after a back-pressure pause, calls
 * {@code TorrentEngine.onWritable}. All calls in both directions happen on the engine's thread.
 */
public interface PeerLink {

    /**
     * Queues bytes for the peer, in order, without blocking. Ownership of {@code data} passes to
     * the link: the engine never touches the array again, so the link may keep it queued without
     * copying (this is how a 16 KiB block goes from storage to the socket with a single copy).
     */
    void send(byte[] data, int offset, int length);

    /**
     * Bytes accepted by {@link #send} but not yet handed to the network (a socket's pending
     * queue, a data channel's {@code bufferedAmount}). The engine stops serving block requests
     * to this peer while this is above its high-water mark, and resumes on
     * {@code TorrentEngine.onWritable} or its next tick.
     */
    long bufferedBytes();

    /**
     * Closes the connection because of {@code reason} (a protocol violation, a ban, a timeout, or
     * the engine stopping). The transport must not call {@code onBytes} for this peer afterwards;
     * calling {@code onClosed} is allowed and ignored.
     */
    void close(String reason);
}
