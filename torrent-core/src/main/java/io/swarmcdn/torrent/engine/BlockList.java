package io.swarmcdn.torrent.engine;

/**
 * A bounded list of block coordinates {@code (piece, begin, length)} kept in three int arrays:
 * the requests we have in flight to a peer, or the requests a peer queued at us. No boxing; the
 * lists are short (a request pipeline of a few hundred at most), so lookups scan.
 */
final class BlockList {

    private final int[] pieces;
    private final int[] begins;
    private final int[] lengths;
    private int head;
    private int size;

    BlockList(int capacity) {
        pieces = new int[capacity];
        begins = new int[capacity];
        lengths = new int[capacity];
    }

    int size() {
        return size;
    }

    int capacity() {
        return pieces.length;
    }

    boolean isEmpty() {
        return size == 0;
    }

    boolean isFull() {
        return size == pieces.length;
    }

    /** Appends at the tail (FIFO order); the caller checks {@link #isFull()} first. */
    void add(int piece, int begin, int length) {
        int i = slot(size);
        pieces[i] = piece;
        begins[i] = begin;
        lengths[i] = length;
        size++;
    }

    /** Position (0 = head) of the block, or -1. Requests are answered in order: usually 0. */
    int indexOf(int piece, int begin) {
        for (int k = 0; k < size; k++) {
            int i = slot(k);
            if (pieces[i] == piece && begins[i] == begin) {
                return k;
            }
        }
        return -1;
    }

    int piece(int k) {
        return pieces[slot(k)];
    }

    int begin(int k) {
        return begins[slot(k)];
    }

    int length(int k) {
        return lengths[slot(k)];
    }

    /** Removes the entry at position k, keeping the order of the others. */
    void removeAt(int k) {
        if (k == 0) {
            head = slot(1);
            size--;
            return;
        }
        for (int j = k; j < size - 1; j++) {
            int to = slot(j);
            int from = slot(j + 1);
            pieces[to] = pieces[from];
            begins[to] = begins[from];
            lengths[to] = lengths[from];
        }
        size--;
    }

    void clear() {
        head = 0;
        size = 0;
    }

    private int slot(int k) {
        int i = head + k;
        return i >= pieces.length ? i - pieces.length : i;
    }
}
