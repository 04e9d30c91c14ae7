package io.swarmcdn.torrent.engine;

import io.swarmcdn.torrent.picker.PiecePicker;
import io.swarmcdn.torrent.storage.StorageException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Assembles pieces from blocks, verifies each complete piece against its SHA-1 from the info
 * dictionary (BEP 3) before it counts as ours, and finds the peers that sent bad data
 * (smart-ban, after libtorrent's: remember who sent which block of a failed piece and a digest of
 * what they sent; when the piece later verifies, every peer whose block differs from the good
 * data lied and is banned. A peer that was the only source of failed pieces
 * {@code hashFailuresToBan} times is banned without waiting for a good copy).
 */
final class Downloads {

    /**
     * A piece being downloaded: which peer delivered each block, and how many requests for each
     * block are in flight (more than one only in endgame or for an overdue streaming deadline;
     * then the other copies are cancelled when the first arrives).
     */
    private static final class Progress {
        final PeerSession[] from;
        final int[] inFlight;
        int received;
        /** Complete and being hashed: late copies of its blocks are dropped, not written. */
        boolean verifying;

        Progress(int blocks) {
            from = new PeerSession[blocks];
            inFlight = new int[blocks];
        }
    }

    /** A block of a failed piece: who sent it and the SHA-1 of what it sent. */
    private record Suspect(int block, PeerSession source, byte[] digest) {
    }

    private final TorrentEngine engine;
    private final Progress[] progress;
    private final Map<Integer, List<Suspect>> suspects = new HashMap<>();
    /** Piece buffers not in use by a verification (reused: one per concurrent hash). */
    private final List<byte[]> freeBuffers = new ArrayList<>();
    /** Verifications whose digest has not come back yet. */
    int hashing;
    long downloaded;

    Downloads(TorrentEngine engine, int pieceCount) {
        this.engine = engine;
        this.progress = new Progress[pieceCount];
    }

    private Progress progress(int piece) {
        Progress pr = progress[piece];
        if (pr == null) {
            pr = new Progress(blockCount(engine.pieceSize(piece)));
            progress[piece] = pr;
        }
        return pr;
    }

    /** A request for the block went out. */
    void requested(int piece, int begin) {
        progress(piece).inFlight[begin / PiecePicker.BLOCK_SIZE]++;
    }

    /**
     * A request for the block ended (answered, rejected, abandoned, cancelled); returns how many
     * other requests for it remain in flight.
     */
    int unrequested(int piece, int begin) {
        Progress pr = progress[piece];
        if (pr == null) {
            return 0;
        }
        int b = begin / PiecePicker.BLOCK_SIZE;
        if (pr.inFlight[b] > 0) {
            pr.inFlight[b]--;
        }
        return pr.inFlight[b];
    }

    /** Stores a requested block; verifies the piece when it is complete. */
    void store(PeerSession p, int piece, int begin, byte[] src, int offset, int length) {
        Progress pr = progress(piece);
        if (pr.verifying) {
            return;
        }
        int block = begin / PiecePicker.BLOCK_SIZE;
        try {
            engine.storage.writeBlock(piece, begin, src, offset, length);
        } catch (StorageException e) {
            engine.listener.storageFailed("writing piece " + piece, e);
            engine.picker.requestAbandoned(p, piece, begin);
            return;
        }
        if (pr.from[block] == null) {
            pr.received++;
        }
        pr.from[block] = p;
        engine.picker.blockReceived(p, piece, begin);
        if (pr.received == pr.from.length) {
            verify(piece, pr);
        }
    }

    private void verify(int piece, Progress pr) {
        int size = engine.pieceSize(piece);
        byte[] buffer = freeBuffers.isEmpty() ? new byte[engine.pieceLength]
                : freeBuffers.remove(freeBuffers.size() - 1);
        try {
            engine.storage.readPiece(piece, buffer, size);
        } catch (StorageException e) {
            engine.listener.storageFailed("reading piece " + piece + " to verify it", e);
            hashed(piece, pr, buffer, size, null);
            return;
        }
        pr.verifying = true;
        hashing++;
        boolean[] returned = {false};
        engine.hasher.hash(buffer, 0, size, digest -> {
            hashing--;
            pr.verifying = false;
            if (!engine.isStopped()) {
                hashed(piece, pr, buffer, size, digest);
                if (returned[0]) {
                    // Asynchronous completion: pipelines may have paused on the hash backlog.
                    engine.afterHash();
                }
            }
        });
        returned[0] = true;
    }

    private void hashed(int piece, Progress pr, byte[] buffer, int size, byte[] digest) {
        if (digest != null && engine.info.pieceHashEquals(piece, digest)) {
            progress[piece] = null;
            engine.storage.markVerified(piece);
            List<Suspect> list = suspects.remove(piece);
            engine.pieceVerified(piece);
            if (list != null) {
                banLiars(piece, list, buffer, size);
            }
        } else {
            engine.storage.discardPiece(piece);
            recordSuspects(piece, pr, buffer, size);
            // Start over, but keep the in-flight counts: duplicates may still be on their way.
            java.util.Arrays.fill(pr.from, null);
            pr.received = 0;
            engine.pieceFailed(piece);
        }
        freeBuffers.add(buffer);
    }

    private void recordSuspects(int piece, Progress pr, byte[] pieceBuffer, int size) {
        List<Suspect> list = suspects.computeIfAbsent(piece, k -> new ArrayList<>());
        PeerSession sole = pr.from[0];
        for (int b = 0; b < pr.from.length; b++) {
            int off = b * PiecePicker.BLOCK_SIZE;
            int len = Math.min(PiecePicker.BLOCK_SIZE, size - off);
            list.add(new Suspect(b, pr.from[b], engine.sha1.digest(pieceBuffer, off, len)));
            if (pr.from[b] != sole) {
                sole = null;
            }
        }
        if (sole != null && ++sole.soleHashFailures >= engine.config.hashFailuresToBan) {
            engine.ban(sole, "sent " + sole.soleHashFailures + " pieces that failed verification");
        }
    }

    /** The piece verified: whoever sent a block that differs from the good data is banned. */
    private void banLiars(int piece, List<Suspect> list, byte[] pieceBuffer, int size) {
        for (Suspect s : list) {
            int off = s.block() * PiecePicker.BLOCK_SIZE;
            int len = Math.min(PiecePicker.BLOCK_SIZE, size - off);
            if (!Arrays.equals(s.digest(), engine.sha1.digest(pieceBuffer, off, len))) {
                engine.ban(s.source(), "sent a corrupt block " + s.block() + " of piece " + piece);
            }
        }
    }

    private static int blockCount(int pieceSize) {
        return (pieceSize + PiecePicker.BLOCK_SIZE - 1) / PiecePicker.BLOCK_SIZE;
    }
}
