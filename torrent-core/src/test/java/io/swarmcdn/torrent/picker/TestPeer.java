package io.swarmcdn.torrent.picker;

import io.swarmcdn.torrent.peerwire.Bitfield;

/** A peer as the engine would describe it to the picker: a slot, its pieces, unchoked. */
final class TestPeer implements PiecePicker.Peer {

    private final int slot;
    private final Bitfield pieces;

    TestPeer(int slot, int pieceCount, int... has) {
        this.slot = slot;
        this.pieces = new Bitfield(pieceCount);
        for (int p : has) {
            pieces.set(p);
        }
    }

    static TestPeer seed(int slot, int pieceCount) {
        TestPeer p = new TestPeer(slot, pieceCount);
        p.pieces.setAll();
        return p;
    }

    @Override
    public int slot() {
        return slot;
    }

    @Override
    public Bitfield pieces() {
        return pieces;
    }

    @Override
    public boolean canRequest(int piece) {
        return pieces.get(piece);
    }

    @Override
    public int downloadRate() {
        return 0;
    }
}
