package io.swarmcdn.torrent.picker;

import java.util.Arrays;

/**
 * Block-level state of one started piece: each 16 KiB block is free, requested (from up to
 * {@link #MAX_REQUESTERS} peers at once: more than one only in endgame or for an overdue
 * streaming piece) or received.
 */
final class PartialPiece {

    static final byte FREE = 0;
    static final byte REQUESTED = 1;
    static final byte RECEIVED = 2;

    /** Most peers one block is requested from at once (endgame duplicates included). */
    static final int MAX_REQUESTERS = 3;

    final int piece;
    final int blocks;
    /**
     * The peer slot that started the piece and fetches it alone while it can, or -1 when that
     * peer left or the piece failed its check.
     */
    int owner = -1;
    private final byte[] state;
    /** MAX_REQUESTERS entries per block: requesting peer slot + 1, 0 = empty. */
    private final int[] requesters;
    private int free;
    private int received;
    /** No block below this index is free. */
    private int firstFree;

    PartialPiece(int piece, int blocks) {
        this.piece = piece;
        this.blocks = blocks;
        this.state = new byte[blocks];
        this.requesters = new int[blocks * MAX_REQUESTERS];
        this.free = blocks;
    }

    int free() {
        return free;
    }

    boolean allReceived() {
        return received == blocks;
    }

    byte state(int block) {
        return state[block];
    }

    /** The first free block at or after {@code from}, or -1. */
    int nextFree(int from) {
        for (int b = Math.max(from, firstFree); b < blocks; b++) {
            if (state[b] == FREE) {
                return b;
            }
        }
        return -1;
    }

    /** Marks a free or requested block as requested by {@code slot}; false if no room. */
    boolean request(int block, int slot) {
        int base = block * MAX_REQUESTERS;
        for (int i = base; i < base + MAX_REQUESTERS; i++) {
            if (requesters[i] == 0) {
                requesters[i] = slot + 1;
                if (state[block] == FREE) {
                    state[block] = REQUESTED;
                    free--;
                    if (block == firstFree) {
                        firstFree++;
                    }
                }
                return true;
            }
        }
        return false;
    }

    boolean requestedBy(int block, int slot) {
        int base = block * MAX_REQUESTERS;
        for (int i = base; i < base + MAX_REQUESTERS; i++) {
            if (requesters[i] == slot + 1) {
                return true;
            }
        }
        return false;
    }

    boolean hasRoomForRequester(int block) {
        return requesterCount(block) < MAX_REQUESTERS;
    }

    private int requesterCount(int block) {
        int n = 0;
        int base = block * MAX_REQUESTERS;
        for (int i = base; i < base + MAX_REQUESTERS; i++) {
            if (requesters[i] != 0) {
                n++;
            }
        }
        return n;
    }

    /**
     * Forgets that {@code slot} requested the block; a requested block with no requester left
     * becomes free. Returns 1 if the block became free, else 0.
     */
    int abandon(int block, int slot) {
        int base = block * MAX_REQUESTERS;
        boolean found = false;
        for (int i = base; i < base + MAX_REQUESTERS; i++) {
            if (requesters[i] == slot + 1) {
                requesters[i] = 0;
                found = true;
            }
        }
        if (found && state[block] == REQUESTED && requesterCount(block) == 0) {
            state[block] = FREE;
            free++;
            firstFree = Math.min(firstFree, block);
            return 1;
        }
        return 0;
    }

    /** The block arrived. Returns 1 if it was free until now (so the free count dropped), else 0. */
    int receive(int block) {
        byte s = state[block];
        if (s == RECEIVED) {
            return 0;
        }
        state[block] = RECEIVED;
        received++;
        int base = block * MAX_REQUESTERS;
        for (int i = base; i < base + MAX_REQUESTERS; i++) {
            requesters[i] = 0;
        }
        if (s == FREE) {
            free--;
            if (block == firstFree) {
                firstFree++;
            }
            return 1;
        }
        return 0;
    }

    /** The piece failed its hash check: every block is free again. Returns blocks freed. */
    int reset() {
        int freed = blocks - free;
        for (int b = 0; b < blocks; b++) {
            state[b] = FREE;
        }
        Arrays.fill(requesters, 0);
        free = blocks;
        received = 0;
        firstFree = 0;
        owner = -1;
        return freed;
    }
}
