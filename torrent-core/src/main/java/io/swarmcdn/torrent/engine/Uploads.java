package io.swarmcdn.torrent.engine;

import io.swarmcdn.torrent.peerwire.MessageId;
import io.swarmcdn.torrent.peerwire.PeerProtocolException;
import io.swarmcdn.torrent.peerwire.WireDecoder;
import io.swarmcdn.torrent.peerwire.WireEncoder;
import io.swarmcdn.torrent.storage.StorageException;

/**
 * The upload side: validates a peer's requests, queues them (bounded), and serves them from
 * storage while the peer's link is below the high-water mark. A block goes from storage into the
 * message array that is handed to the link: one copy.
 *
 * <p>Requests we will not serve (choked, a piece we lack, longer than 16 KiB, queue full) are
 * answered with BEP 6 {@code reject request} when the Fast extension is on, and dropped silently
 * otherwise (BEP 3 has no way to refuse). A request outside the piece is a protocol violation.
 */
final class Uploads {

    private final TorrentEngine engine;
    long uploaded;

    Uploads(TorrentEngine engine) {
        this.engine = engine;
    }

    void request(PeerSession p, int piece, int begin, int length) {
        if (engine.info != null) {
            if (piece >= engine.pieceCount) {
                throw new PeerProtocolException("request for piece " + piece + " of "
                        + engine.pieceCount);
            }
            if (length > 0 && length <= WireDecoder.MAX_BLOCK
                    && begin > engine.pieceSize(piece) - length) {
                throw new PeerProtocolException("request [" + begin + ", +" + length
                        + ") beyond the end of piece " + piece);
            }
        }
        if (engine.info == null || length == 0 || length > WireDecoder.MAX_BLOCK
                || !engine.have.get(piece) || p.amChoking || p.incoming.isFull()) {
            reject(p, piece, begin, length);
            return;
        }
        p.incoming.add(piece, begin, length);
        serve(p);
    }

    void cancel(PeerSession p, int piece, int begin, int length) {
        int k = p.incoming.indexOf(piece, begin);
        if (k >= 0 && p.incoming.length(k) == length) {
            p.incoming.removeAt(k);
            // BEP 6: with the Fast extension every request gets an answer, a cancelled one a reject.
            reject(p, piece, begin, length);
        }
    }

    /** We choked the peer: its queued requests are dropped (BEP 3) or rejected (BEP 6). */
    void choked(PeerSession p) {
        if (p.fast) {
            while (!p.incoming.isEmpty()) {
                reject(p, p.incoming.piece(0), p.incoming.begin(0), p.incoming.length(0));
                p.incoming.removeAt(0);
            }
        }
        p.incoming.clear();
    }

    private static void reject(PeerSession p, int piece, int begin, int length) {
        if (p.fast) {
            p.send(WireEncoder.request(MessageId.REJECT_REQUEST, piece, begin, length));
        }
    }

    /** Sends queued blocks while the link is not backed up. */
    void serve(PeerSession p) {
        long highWater = engine.config.uploadHighWaterBytes;
        while (!p.closed && !p.incoming.isEmpty() && p.link.bufferedBytes() < highWater) {
            int piece = p.incoming.piece(0);
            int begin = p.incoming.begin(0);
            int length = p.incoming.length(0);
            p.incoming.removeAt(0);
            byte[] message = new byte[WireEncoder.PIECE_HEADER_LENGTH + length];
            WireEncoder.writePieceHeader(message, 0, piece, begin, length);
            try {
                engine.storage.readBlock(piece, begin, message, WireEncoder.PIECE_HEADER_LENGTH,
                        length);
            } catch (StorageException e) {
                engine.listener.storageFailed("reading piece " + piece, e);
                reject(p, piece, begin, length);
                continue;
            }
            p.send(message);
            p.up.add(length);
            uploaded += length;
        }
    }
}
