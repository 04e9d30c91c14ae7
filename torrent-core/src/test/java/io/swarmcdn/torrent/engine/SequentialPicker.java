package io.swarmcdn.torrent.engine;

import io.swarmcdn.torrent.metainfo.PieceLayout;
import io.swarmcdn.torrent.peerwire.Bitfield;
import io.swarmcdn.torrent.picker.PiecePicker;

/**
 * The simplest picker honouring the contract: blocks in order, each requested from one peer,
 * and in endgame (nothing free) a block in flight elsewhere. Requesters per block are a bitmask of
 * slots (tests use few peers).
 */
final class SequentialPicker implements PiecePicker {

    private final PieceLayout layout;
    private final Bitfield have;
    private final int[] firstBlock;
    private final long[] requestedBy;
    private final boolean[] received;

    SequentialPicker(PieceLayout layout) {
        this.layout = layout;
        int n = layout.pieceCount();
        have = new Bitfield(n);
        firstBlock = new int[n + 1];
        for (int i = 0; i < n; i++) {
            firstBlock[i + 1] = firstBlock[i] + layout.blockCount(i);
        }
        requestedBy = new long[firstBlock[n]];
        received = new boolean[firstBlock[n]];
    }

    @Override
    public void weHave(int piece) {
        pieceVerified(piece);
    }

    @Override
    public void peerBitfield(Peer peer, Bitfield pieces) {
    }

    @Override
    public void peerHave(Peer peer, int piece) {
    }

    @Override
    public void peerGone(Peer peer) {
        long mask = ~(1L << peer.slot());
        for (int i = 0; i < requestedBy.length; i++) {
            requestedBy[i] &= mask;
        }
    }

    @Override
    public int pickBlocks(Peer peer, int max, long nowMillis, BlockSink sink) {
        int n = pick(peer, max, sink, false);
        if (n == 0 && isEndgame()) {
            n = pick(peer, max, sink, true);
        }
        return n;
    }

    private int pick(Peer peer, int max, BlockSink sink, boolean endgame) {
        long me = 1L << peer.slot();
        int n = 0;
        for (int p = 0; p < layout.pieceCount() && n < max; p++) {
            if (have.get(p) || !peer.canRequest(p)) {
                continue;
            }
            for (int b = firstBlock[p]; b < firstBlock[p + 1] && n < max; b++) {
                if (received[b] || (requestedBy[b] & me) != 0) {
                    continue;
                }
                if (requestedBy[b] != 0 && !endgame) {
                    continue;
                }
                requestedBy[b] |= me;
                int off = (b - firstBlock[p]) * BLOCK_SIZE;
                sink.request(p, off, layout.blockSize(p, b - firstBlock[p]));
                n++;
            }
        }
        return n;
    }

    @Override
    public void blockReceived(Peer peer, int piece, int offset) {
        int b = firstBlock[piece] + offset / BLOCK_SIZE;
        received[b] = true;
        requestedBy[b] &= ~(1L << peer.slot());
    }

    @Override
    public void requestAbandoned(Peer peer, int piece, int offset) {
        requestedBy[firstBlock[piece] + offset / BLOCK_SIZE] &= ~(1L << peer.slot());
    }

    @Override
    public void pieceVerified(int piece) {
        have.set(piece);
        for (int b = firstBlock[piece]; b < firstBlock[piece + 1]; b++) {
            received[b] = true;
            requestedBy[b] = 0;
        }
    }

    @Override
    public void pieceFailed(int piece) {
        for (int b = firstBlock[piece]; b < firstBlock[piece + 1]; b++) {
            received[b] = false;
        }
    }

    @Override
    public boolean isEndgame() {
        for (int b = 0; b < received.length; b++) {
            if (!received[b] && requestedBy[b] == 0) {
                return false;
            }
        }
        return !have.isComplete();
    }

    @Override
    public void setStreamingWindow(int firstPiece, int count) {
    }

    @Override
    public void setDeadline(int piece, long deadlineMillis) {
    }
}
