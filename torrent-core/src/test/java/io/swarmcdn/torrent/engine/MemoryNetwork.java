package io.swarmcdn.torrent.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * In-memory pipes between engines: what one side sends is queued and delivered to the other side
 * by {@link #pump()}, cut into chunks of random size (so messages get split across reads and
 * merged into one read), with closes propagated. Single-threaded and deterministic per seed.
 */
final class MemoryNetwork {

    final class Link implements PeerLink {
        final ArrayDeque<byte[]> queue = new ArrayDeque<>();
        TorrentEngine target;
        Peer targetPeer;
        Link reverse;
        boolean closed;
        String closeReason;
        boolean deliverClose;
        long buffered;
        /** Set by a test to drop (or rewrite) what this side sends. */
        java.util.function.UnaryOperator<byte[]> filter = b -> b;

        @Override
        public void send(byte[] data, int offset, int length) {
            if (closed) {
                return;
            }
            byte[] copy = java.util.Arrays.copyOfRange(data, offset, offset + length);
            byte[] out = filter.apply(copy);
            if (out != null) {
                queue.add(out);
                buffered += out.length;
            }
        }

        @Override
        public long bufferedBytes() {
            return buffered;
        }

        @Override
        public void close(String reason) {
            if (!closed) {
                closed = true;
                closeReason = reason;
                queue.clear();
                buffered = 0;
                reverse.closed = true;
                reverse.queue.clear();
                reverse.deliverClose = true;
            }
        }
    }

    private final Random random;
    private final int maxChunk;
    final List<Link> links = new ArrayList<>();

    MemoryNetwork(long seed, int maxChunk) {
        this.random = new Random(seed);
        this.maxChunk = maxChunk;
    }

    /** Connects two engines; returns {link a->b, link b->a}. */
    Link[] connect(TorrentEngine a, String addressA, TorrentEngine b, String addressB) {
        Link ab = new Link();
        Link ba = new Link();
        ab.reverse = ba;
        ba.reverse = ab;
        links.add(ab);
        links.add(ba);
        Peer bOnA = a.addPeer(ab, addressB);
        Peer aOnB = b.addPeer(ba, addressA);
        ab.target = b;
        ab.targetPeer = aOnB;
        ba.target = a;
        ba.targetPeer = bOnA;
        return new Link[] {ab, ba};
    }

    /** Delivers everything queued (and what that triggers) until the network is quiet. */
    void pump() {
        boolean progress = true;
        while (progress) {
            progress = false;
            for (Link l : new ArrayList<>(links)) {
                if (l.deliverClose) {
                    l.deliverClose = false;
                    l.target.onClosed(l.targetPeer);
                    progress = true;
                }
                byte[] chunk = l.queue.poll();
                if (chunk == null) {
                    continue;
                }
                progress = true;
                // Merge: glue a few queued sends into one read, as a socket would.
                int merge = random.nextInt(4);
                while (merge-- > 0 && !l.queue.isEmpty()) {
                    byte[] next = l.queue.poll();
                    byte[] both = java.util.Arrays.copyOf(chunk, chunk.length + next.length);
                    System.arraycopy(next, 0, both, chunk.length, next.length);
                    chunk = both;
                }
                l.buffered = 0;
                for (byte[] q : l.queue) {
                    l.buffered += q.length;
                }
                int off = 0;
                while (off < chunk.length && !l.closed) {
                    int n = Math.min(chunk.length - off, 1 + random.nextInt(maxChunk));
                    l.target.onBytes(l.targetPeer, chunk, off, n);
                    off += n;
                }
                if (!l.closed) {
                    l.reverse.target.onWritable(l.reverse.targetPeer);
                }
            }
        }
    }

    /** Pumps and ticks both ways until {@code done} or {@code rounds} ticks have passed. */
    boolean run(ManualClock clock, long tickMillis, int rounds, java.util.function.BooleanSupplier done,
            TorrentEngine... engines) {
        for (int i = 0; i < rounds; i++) {
            pump();
            if (done.getAsBoolean()) {
                return true;
            }
            clock.advance(tickMillis);
            for (TorrentEngine e : engines) {
                e.tick();
            }
        }
        pump();
        return done.getAsBoolean();
    }
}
