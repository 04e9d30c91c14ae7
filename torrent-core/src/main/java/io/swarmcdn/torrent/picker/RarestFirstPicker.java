package io.swarmcdn.torrent.picker;

import io.swarmcdn.torrent.metainfo.PieceLayout;
import io.swarmcdn.torrent.peerwire.Bitfield;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The picker every engine uses by default. Order of preference when a peer has room for requests:
 * <ol>
 *   <li>pieces with a streaming deadline, earliest first; once a deadline has passed, the piece's
 *       outstanding blocks may also be requested a second time from this peer, as in endgame,
 *       because waiting for a slow peer is what made it late;</li>
 *   <li>the streaming window, in piece order (playback needs them in that order);</li>
 *   <li>pieces already started: first the ones this peer started, then ones nobody fetches any
 *       more (their peer left, or they failed their hash check): finishing pieces makes them
 *       verifiable and shareable sooner and bounds the unverified data in storage;</li>
 *   <li>a new piece, the rarest among those the peer has, ties broken at random so that peers
 *       downloading together spread over different pieces (BEP 3 "rarest first");</li>
 *   <li>free blocks of pieces other peers started, when the peer has no new piece to start;</li>
 *   <li>endgame: when every missing block is already requested, blocks another peer is still
 *       sending, so that the last pieces do not wait for the slowest peer (BEP 3 "End Game").</li>
 * </ol>
 *
 * <p>Outside deadlines, the window and endgame a started piece belongs to the peer that started
 * it. Pieces then come from one peer each, so a piece that fails its SHA-1 check has one
 * culprit: the engine can ban a peer that sends corrupt data after a couple of failures instead
 * of failing mixed pieces forever (libtorrent keeps whole pieces per peer for the same reason).
 *
 * <p>Hot paths use int arrays only, no boxing and no hashing (TeaVM compiles this for the
 * browser). Memory: a few ints per piece, plus the block state of started pieces only.
 */
public final class RarestFirstPicker implements PiecePicker {

    private static final byte NOT_STARTED = 0;
    private static final byte STARTED = 1;
    private static final byte HAVE = 2;

    private final PieceLayout layout;
    private final int pieceCount;
    private final Random random;
    private final AvailabilityOrder order;
    private final byte[] pieceState;
    private final PartialPiece[] partialOf;
    /** Started pieces in the order they were started. */
    private final List<PartialPiece> partials = new ArrayList<>();
    /** Per peer slot: the pieces counted into availability for that peer. */
    private Bitfield[] counted = new Bitfield[16];
    private int missing;
    /** Free blocks summed over started pieces. */
    private int freeInPartials;

    private int windowFirst;
    private int windowCount;
    /** Pieces with a deadline, sorted by deadline; parallel arrays, {@code deadlines} entries. */
    private int[] deadlinePieces = new int[8];
    private long[] deadlineTimes = new long[8];
    private int deadlines;

    /**
     * A picker for a torrent with this piece layout, with a random source seeded from
     * {@code seed} (tests pass a fixed seed to get one order).
     */
    public RarestFirstPicker(PieceLayout layout, long seed) {
        if (layout.pieceCount() == 0) {
            throw new IllegalArgumentException("a torrent without pieces has nothing to pick");
        }
        this.layout = layout;
        this.pieceCount = layout.pieceCount();
        this.random = new Random(seed);
        this.order = new AvailabilityOrder(pieceCount);
        this.pieceState = new byte[pieceCount];
        this.partialOf = new PartialPiece[pieceCount];
        this.missing = pieceCount;
    }

    // ---- what we have -------------------------------------------------------------------------

    @Override
    public void weHave(int piece) {
        pieceVerified(piece);
    }

    @Override
    public void pieceVerified(int piece) {
        checkPiece(piece);
        if (pieceState[piece] == HAVE) {
            return;
        }
        PartialPiece p = partialOf[piece];
        if (p != null) {
            freeInPartials -= p.free();
            partials.remove(p);
            partialOf[piece] = null;
        }
        order.remove(piece);
        pieceState[piece] = HAVE;
        missing--;
        removeDeadline(piece);
    }

    @Override
    public void pieceFailed(int piece) {
        checkPiece(piece);
        PartialPiece p = partialOf[piece];
        if (p != null) {
            freeInPartials += p.reset();
        }
    }

    // ---- what peers have ----------------------------------------------------------------------

    @Override
    public void peerBitfield(Peer peer, Bitfield pieces) {
        if (pieces.size() != pieceCount) {
            throw new IllegalArgumentException(
                    "bitfield of " + pieces.size() + " pieces, torrent has " + pieceCount);
        }
        int slot = peer.slot();
        forgetAvailability(slot);
        Bitfield mine = new Bitfield(pieceCount);
        for (int i = pieces.nextSet(0); i >= 0; i = pieces.nextSet(i + 1)) {
            mine.set(i);
            order.increment(i);
        }
        slotArray(slot)[slot] = mine;
    }

    @Override
    public void peerHave(Peer peer, int piece) {
        checkPiece(piece);
        int slot = peer.slot();
        Bitfield mine = slotArray(slot)[slot];
        if (mine == null) {
            mine = new Bitfield(pieceCount);
            counted[slot] = mine;
        }
        if (mine.set(piece)) {
            order.increment(piece);
        }
    }

    @Override
    public void peerGone(Peer peer) {
        int slot = peer.slot();
        forgetAvailability(slot);
        for (int i = 0; i < partials.size(); i++) {
            PartialPiece p = partials.get(i);
            if (p.owner == slot) {
                p.owner = -1;
            }
            for (int b = 0; b < p.blocks; b++) {
                freeInPartials += p.abandon(b, slot);
            }
        }
    }

    private void forgetAvailability(int slot) {
        Bitfield old = slot < counted.length ? counted[slot] : null;
        if (old == null) {
            return;
        }
        for (int i = old.nextSet(0); i >= 0; i = old.nextSet(i + 1)) {
            order.decrement(i);
        }
        counted[slot] = null;
    }

    private Bitfield[] slotArray(int slot) {
        if (slot < 0) {
            throw new IllegalArgumentException("negative peer slot " + slot);
        }
        if (slot >= counted.length) {
            Bitfield[] grown = new Bitfield[Math.max(slot + 1, counted.length * 2)];
            System.arraycopy(counted, 0, grown, 0, counted.length);
            counted = grown;
        }
        return counted;
    }

    /** How many connected peers have the piece (for tests and diagnostics). */
    public int availability(int piece) {
        checkPiece(piece);
        return order.availability(piece);
    }

    // ---- picking ------------------------------------------------------------------------------

    @Override
    public int pickBlocks(Peer peer, int max, long nowMillis, BlockSink sink) {
        if (max <= 0 || missing == 0) {
            return 0;
        }
        int slot = peer.slot();
        int emitted = 0;
        for (int i = 0; i < deadlines && emitted < max; i++) {
            int piece = deadlinePieces[i];
            if (peer.canRequest(piece)) {
                emitted += emitFree(piece, slot, max - emitted, sink);
                if (nowMillis >= deadlineTimes[i] && emitted < max) {
                    emitted += emitDuplicates(partialOf[piece], slot, max - emitted, sink);
                }
            }
        }
        int windowEnd = Math.min(pieceCount, windowFirst + windowCount);
        for (int piece = windowFirst; piece < windowEnd && emitted < max; piece++) {
            if (peer.canRequest(piece)) {
                emitted += emitFree(piece, slot, max - emitted, sink);
            }
        }
        for (int i = 0; i < partials.size() && emitted < max; i++) {
            PartialPiece p = partials.get(i);
            if (p.free() > 0 && (p.owner == slot || p.owner < 0) && peer.canRequest(p.piece)) {
                p.owner = slot;
                emitted += emitFree(p.piece, slot, max - emitted, sink);
            }
        }
        while (emitted < max) {
            int piece = order.rarest(peer, random);
            if (piece < 0) {
                break;
            }
            emitted += emitFree(piece, slot, max - emitted, sink);
            partialOf[piece].owner = slot;
        }
        for (int i = 0; i < partials.size() && emitted < max; i++) {
            PartialPiece p = partials.get(i);
            if (p.free() > 0 && peer.canRequest(p.piece)) {
                emitted += emitFree(p.piece, slot, max - emitted, sink);
            }
        }
        if (emitted < max && isEndgame()) {
            for (int i = 0; i < partials.size() && emitted < max; i++) {
                PartialPiece p = partials.get(i);
                if (peer.canRequest(p.piece)) {
                    emitted += emitDuplicates(p, slot, max - emitted, sink);
                }
            }
        }
        return emitted;
    }

    /** Requests free blocks of {@code piece} (starting it if needed); returns how many. */
    private int emitFree(int piece, int slot, int max, BlockSink sink) {
        if (pieceState[piece] == HAVE) {
            return 0;
        }
        PartialPiece p = partialOf[piece];
        if (p == null) {
            p = start(piece);
        }
        int emitted = 0;
        for (int b = p.nextFree(0); b >= 0 && emitted < max; b = p.nextFree(b + 1)) {
            p.request(b, slot);
            freeInPartials--;
            sink.request(piece, b * BLOCK_SIZE, blockLength(piece, b));
            emitted++;
        }
        return emitted;
    }

    /** Requests blocks other peers are still sending (endgame, overdue deadlines). */
    private int emitDuplicates(PartialPiece p, int slot, int max, BlockSink sink) {
        if (p == null) {
            return 0;
        }
        int emitted = 0;
        for (int b = 0; b < p.blocks && emitted < max; b++) {
            if (p.state(b) == PartialPiece.REQUESTED && !p.requestedBy(b, slot)
                    && p.hasRoomForRequester(b)) {
                p.request(b, slot);
                sink.request(p.piece, b * BLOCK_SIZE, blockLength(p.piece, b));
                emitted++;
            }
        }
        return emitted;
    }

    private PartialPiece start(int piece) {
        PartialPiece p = new PartialPiece(piece, blockCount(piece));
        partialOf[piece] = p;
        partials.add(p);
        pieceState[piece] = STARTED;
        order.remove(piece);
        freeInPartials += p.blocks;
        return p;
    }

    @Override
    public void blockReceived(Peer peer, int piece, int offset) {
        PartialPiece p = partialFor(piece, offset);
        if (p != null) {
            freeInPartials -= p.receive(offset / BLOCK_SIZE);
        }
    }

    @Override
    public void requestAbandoned(Peer peer, int piece, int offset) {
        PartialPiece p = partialFor(piece, offset);
        if (p != null) {
            freeInPartials += p.abandon(offset / BLOCK_SIZE, peer.slot());
        }
    }

    private PartialPiece partialFor(int piece, int offset) {
        checkPiece(piece);
        PartialPiece p = partialOf[piece];
        if (p == null) {
            return null; // verified meanwhile, or never requested: nothing to track
        }
        if (offset < 0 || offset % BLOCK_SIZE != 0 || offset / BLOCK_SIZE >= p.blocks) {
            throw new IllegalArgumentException("bad block offset " + offset + " in piece " + piece);
        }
        return p;
    }

    @Override
    public boolean isEndgame() {
        return missing > 0 && order.size() == 0 && freeInPartials == 0;
    }

    // ---- streaming ----------------------------------------------------------------------------

    @Override
    public void setStreamingWindow(int firstPiece, int count) {
        if (count < 0 || (count > 0 && (firstPiece < 0 || firstPiece >= pieceCount))) {
            throw new IllegalArgumentException("bad window " + firstPiece + "+" + count);
        }
        windowFirst = firstPiece;
        windowCount = count;
    }

    @Override
    public void setDeadline(int piece, long deadlineMillis) {
        checkPiece(piece);
        removeDeadline(piece);
        if (deadlineMillis == Long.MAX_VALUE || pieceState[piece] == HAVE) {
            return;
        }
        if (deadlines == deadlinePieces.length) {
            int[] p = new int[deadlines * 2];
            long[] t = new long[deadlines * 2];
            System.arraycopy(deadlinePieces, 0, p, 0, deadlines);
            System.arraycopy(deadlineTimes, 0, t, 0, deadlines);
            deadlinePieces = p;
            deadlineTimes = t;
        }
        int i = deadlines;
        // Insertion into the sorted arrays; equal deadlines keep piece order.
        while (i > 0 && (deadlineTimes[i - 1] > deadlineMillis
                || (deadlineTimes[i - 1] == deadlineMillis && deadlinePieces[i - 1] > piece))) {
            deadlinePieces[i] = deadlinePieces[i - 1];
            deadlineTimes[i] = deadlineTimes[i - 1];
            i--;
        }
        deadlinePieces[i] = piece;
        deadlineTimes[i] = deadlineMillis;
        deadlines++;
    }

    private void removeDeadline(int piece) {
        for (int i = 0; i < deadlines; i++) {
            if (deadlinePieces[i] == piece) {
                System.arraycopy(deadlinePieces, i + 1, deadlinePieces, i, deadlines - i - 1);
                System.arraycopy(deadlineTimes, i + 1, deadlineTimes, i, deadlines - i - 1);
                deadlines--;
                return;
            }
        }
    }

    // ---- geometry -----------------------------------------------------------------------------

    private int blockCount(int piece) {
        return layout.blockCount(piece);
    }

    private int blockLength(int piece, int block) {
        return layout.blockSize(piece, block);
    }

    private void checkPiece(int piece) {
        if (piece < 0 || piece >= pieceCount) {
            throw new IllegalArgumentException("piece " + piece + " of " + pieceCount);
        }
    }
}
