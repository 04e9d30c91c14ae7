package io.swarmcdn.torrent.engine;

import io.swarmcdn.torrent.peerwire.MessageId;
import io.swarmcdn.torrent.peerwire.PeerProtocolException;
import io.swarmcdn.torrent.peerwire.WireEncoder;
import io.swarmcdn.torrent.picker.PiecePicker;

/**
 * The download side of the wire: keeps each unchoking peer's request pipeline full (blocks chosen
 * by the picker, sent in batches), matches arriving blocks to our requests, and ends requests
 * that will not be answered (rejected, choked, timed out, duplicated elsewhere, peer gone) so the
 * picker can hand the blocks out again.
 */
final class Requests {

    private final TorrentEngine engine;
    private final Sink sink = new Sink();

    Requests(TorrentEngine engine) {
        this.engine = engine;
    }

    /** Keeps the peer's request pipeline full: asks the picker for more blocks. */
    void fill(PeerSession p) {
        if (p.closed || !p.handshakeDone || engine.info == null || engine.have.isComplete()
                || !p.amInterested || engine.downloads.hashing >= engine.config.maxPiecesHashing) {
            return;
        }
        engine.register(p);
        int target = p.targetPipeline();
        int space = target - p.outstanding.size();
        // Refill in batches (one send for many requests), unless the pipeline ran dry.
        if (space <= 0 || (space < Math.max(1, target >> 3) && !p.outstanding.isEmpty())) {
            return;
        }
        if (p.outstanding.isEmpty()) {
            p.waitingSince = engine.now;
        }
        sink.begin(p, space);
        engine.picker.pickBlocks(p, space, engine.now, sink);
        sink.flush();
    }

    /** Collects picked blocks into one array of request messages. */
    private final class Sink implements PiecePicker.BlockSink {
        private PeerSession peer;
        private byte[] buffer = new byte[0];
        private int count;
        private int max;

        void begin(PeerSession p, int space) {
            peer = p;
            count = 0;
            max = space;
            buffer = new byte[space * WireEncoder.REQUEST_LENGTH];
        }

        @Override
        public void request(int piece, int offset, int length) {
            if (count >= max || piece < 0 || piece >= engine.pieceCount || engine.have.get(piece)
                    || offset < 0 || offset % PiecePicker.BLOCK_SIZE != 0
                    || offset >= engine.pieceSize(piece)
                    || length != Math.min(PiecePicker.BLOCK_SIZE, engine.pieceSize(piece) - offset)) {
                throw new IllegalStateException("picker emitted an invalid block: piece " + piece
                        + " offset " + offset + " length " + length);
            }
            peer.outstanding.add(piece, offset, length);
            engine.downloads.requested(piece, offset);
            WireEncoder.writeRequest(buffer, count * WireEncoder.REQUEST_LENGTH,
                    MessageId.REQUEST, piece, offset, length);
            count++;
        }

        void flush() {
            if (count > 0) {
                peer.send(buffer, count * WireEncoder.REQUEST_LENGTH);
            }
            peer = null;
            buffer = null;
        }
    }

    /** A {@code piece} message: accepted only if it answers one of our requests to {@code p}. */
    void blockArrived(PeerSession p, int piece, int begin, byte[] src, int offset, int length) {
        if (engine.info == null || piece >= engine.pieceCount) {
            throw new PeerProtocolException("piece message for piece " + piece + " never requested");
        }
        int k = p.outstanding.indexOf(piece, begin);
        if (k < 0 || p.outstanding.length(k) != length) {
            return; // not requested (any more): a cancelled duplicate, ignored
        }
        p.outstanding.removeAt(k);
        p.waitingSince = engine.now;
        p.snubbed = false;
        // Grow the pipeline by one per delivered block (doubling per round trip): until the rate
        // meter's first samples (ticks, >= 500 ms apart) it would otherwise stay at minPipeline,
        // one small batch per round trip, for a good part of a fast transfer.
        if (p.slowStart < engine.config.maxPipeline) {
            p.slowStart = Math.max(p.slowStart, engine.config.minPipeline) + 1;
        }
        p.down.add(length);
        engine.downloads.downloaded += length;
        boolean duplicates = engine.downloads.unrequested(piece, begin) > 0;
        if (!engine.have.get(piece)) {
            if (duplicates) {
                cancelDuplicates(p, piece, begin, length);
            }
            engine.downloads.store(p, piece, begin, src, offset, length);
        }
        fill(p);
    }

    /** BEP 3 end game: the block came from {@code from}, cancel it everywhere else. */
    private void cancelDuplicates(PeerSession from, int piece, int begin, int length) {
        for (PeerSession o : engine.sessions()) {
            if (o == from || o.closed) {
                continue;
            }
            int k = o.outstanding.indexOf(piece, begin);
            if (k >= 0) {
                o.outstanding.removeAt(k);
                engine.downloads.unrequested(piece, begin);
                o.send(WireEncoder.request(MessageId.CANCEL, piece, begin, length));
                engine.picker.requestAbandoned(o, piece, begin);
            }
        }
    }

    /** BEP 6 {@code reject request}: the block is free again. */
    void rejected(PeerSession p, int piece, int begin) {
        int k = p.outstanding.indexOf(piece, begin);
        if (k >= 0) {
            p.outstanding.removeAt(k);
            engine.downloads.unrequested(piece, begin);
            engine.picker.requestAbandoned(p, piece, begin);
            if (!p.peerChoking) {
                fill(p);
            }
        }
    }

    /** Every request to {@code p} is void (choke without Fast extension, timeout). */
    void abandonAll(PeerSession p) {
        while (!p.outstanding.isEmpty()) {
            int piece = p.outstanding.piece(0);
            int begin = p.outstanding.begin(0);
            p.outstanding.removeAt(0);
            engine.downloads.unrequested(piece, begin);
            engine.picker.requestAbandoned(p, piece, begin);
        }
    }

    /** The peer is gone: its requests end (the picker learns it through peerGone). */
    void dropAll(PeerSession p) {
        while (!p.outstanding.isEmpty()) {
            engine.downloads.unrequested(p.outstanding.piece(0), p.outstanding.begin(0));
            p.outstanding.removeAt(0);
        }
    }
}
