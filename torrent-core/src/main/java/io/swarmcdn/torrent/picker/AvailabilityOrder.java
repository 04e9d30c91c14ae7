package io.swarmcdn.torrent.picker;

import java.util.Random;

/**
 * The pieces not started yet, kept sorted by availability (how many connected peers have each),
 * so that the rarest piece a peer can give us is found without sorting and an availability
 * change costs O(1). Same idea as libtorrent's piece picker: one array of piece indexes grouped
 * into buckets of equal availability, plus each bucket's end. Moving a piece to the neighbouring
 * bucket is a single swap with the bucket's edge element.
 *
 * <p>Pieces we have or have started are removed (they are picked by other rules), but their
 * availability is still counted so that a piece that fails its hash check is ranked correctly.
 */
final class AvailabilityOrder {

    /** Piece indexes; {@code [0, size)} are not started, grouped by ascending availability. */
    private final int[] order;
    /** Piece index -> its index in {@link #order}, or -1 once removed. */
    private final int[] position;
    /** Piece index -> number of connected peers that have it. */
    private final int[] availability;
    /** Availability a -> exclusive end of bucket a in {@link #order}; valid for a <= top. */
    private int[] bucketEnd;
    /** Highest availability any piece has had; bucketEnd[top] == size always. */
    private int top;
    private int size;

    AvailabilityOrder(int pieceCount) {
        order = new int[pieceCount];
        position = new int[pieceCount];
        availability = new int[pieceCount];
        for (int i = 0; i < pieceCount; i++) {
            order[i] = i;
            position[i] = i;
        }
        bucketEnd = new int[8];
        bucketEnd[0] = pieceCount;
        size = pieceCount;
    }

    /** Number of pieces not started yet. */
    int size() {
        return size;
    }

    int availability(int piece) {
        return availability[piece];
    }

    boolean contains(int piece) {
        return position[piece] >= 0;
    }

    /** One more peer has the piece. */
    void increment(int piece) {
        int a = availability[piece];
        availability[piece] = a + 1;
        if (a + 1 > top) {
            top = a + 1;
            if (top >= bucketEnd.length) {
                int[] grown = new int[bucketEnd.length * 2];
                System.arraycopy(bucketEnd, 0, grown, 0, bucketEnd.length);
                bucketEnd = grown;
            }
            bucketEnd[top] = size;
        }
        if (position[piece] >= 0) {
            // Swap to the last slot of bucket a, then shrink bucket a: the piece is now the first
            // element of bucket a + 1.
            swap(position[piece], bucketEnd[a] - 1);
            bucketEnd[a]--;
        }
    }

    /** One peer that had the piece is gone. */
    void decrement(int piece) {
        int a = availability[piece];
        if (a == 0) {
            throw new IllegalStateException("availability of piece " + piece + " below zero");
        }
        availability[piece] = a - 1;
        if (position[piece] >= 0) {
            // Swap to the first slot of bucket a, then grow bucket a - 1 over it.
            swap(position[piece], bucketEnd[a - 1]);
            bucketEnd[a - 1]++;
        }
    }

    /** The piece was started or completed: take it out of the order. */
    void remove(int piece) {
        if (position[piece] < 0) {
            return;
        }
        // Walk the piece up through every higher bucket to the very end, then cut it off.
        for (int b = availability[piece]; b <= top; b++) {
            swap(position[piece], bucketEnd[b] - 1);
            bucketEnd[b]--;
        }
        size--;
        position[piece] = -1;
    }

    /**
     * The rarest piece (lowest availability, ties broken at random) that {@code peer} may give
     * us, or -1. Bucket 0 is skipped: no connected peer announced those pieces.
     */
    int rarest(PiecePicker.Peer peer, Random random) {
        for (int a = 1; a <= top; a++) {
            int start = bucketEnd[a - 1];
            int end = bucketEnd[a];
            if (start == end) {
                continue;
            }
            int from = start + random.nextInt(end - start);
            for (int i = from; i < end; i++) {
                if (peer.canRequest(order[i])) {
                    return order[i];
                }
            }
            for (int i = start; i < from; i++) {
                if (peer.canRequest(order[i])) {
                    return order[i];
                }
            }
        }
        return -1;
    }

    private void swap(int i, int j) {
        int pi = order[i];
        int pj = order[j];
        order[i] = pj;
        order[j] = pi;
        position[pj] = i;
        position[pi] = j;
    }
}
