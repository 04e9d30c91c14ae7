package io.swarmcdn.torrent.jvm.tcp;

import io.swarmcdn.torrent.engine.PeerLink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * One TCP connection as a {@link PeerLink}. Only the loop thread touches it. {@link #send} never
 * blocks: it queues the caller's array (ownership passes to us, so no copy) and the loop writes
 * the queue with gathering writes when it flushes, or when the socket becomes writable again.
 */
final class TcpLink<H> implements PeerLink {

    /** Most buffers handed to one gathering write. */
    private static final int GATHER = 64;

    final SocketChannel channel;
    final String address;
    final boolean outgoing;
    SelectionKey key;
    H handle;
    /** Loop clock time by which an outgoing connect must complete. */
    long connectDeadline;
    boolean connected;
    boolean closed;
    /** Whether the link is in the loop's list of links to flush. */
    boolean dirty;
    /** Whether the owner is waiting for {@code writable} after the queue drained. */
    boolean blocked;

    private final SelectorLoop<H> loop;
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
    private final ByteBuffer[] gather = new ByteBuffer[GATHER];
    private long buffered;

    TcpLink(SelectorLoop<H> loop, SocketChannel channel, String address, boolean outgoing) {
        this.loop = loop;
        this.channel = channel;
        this.address = address;
        this.outgoing = outgoing;
    }

    @Override
    public void send(byte[] data, int offset, int length) {
        if (closed || length == 0) {
            return;
        }
        queue.add(ByteBuffer.wrap(data, offset, length));
        buffered += length;
        loop.markDirty(this);
    }

    @Override
    public long bufferedBytes() {
        return buffered;
    }

    @Override
    public void close(String reason) {
        loop.closeLink(this, reason, true);
    }

    /**
     * Writes as much of the queue as the socket takes. Returns true when the queue is empty,
     * false when the socket's buffer is full (the caller then waits for OP_WRITE).
     */
    boolean flush() throws IOException {
        while (!queue.isEmpty()) {
            int n = 0;
            long want = 0;
            for (ByteBuffer b : queue) {
                gather[n++] = b;
                want += b.remaining();
                if (n == GATHER) {
                    break;
                }
            }
            long written = channel.write(gather, 0, n);
            Arrays.fill(gather, 0, n, null);
            buffered -= written;
            while (!queue.isEmpty() && !queue.peek().hasRemaining()) {
                queue.poll();
            }
            if (written < want) {
                return false; // the socket's send buffer is full
            }
        }
        return true;
    }

    void dropQueue() {
        queue.clear();
        buffered = 0;
    }

    @Override
    public String toString() {
        return address;
    }
}
