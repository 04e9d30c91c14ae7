package io.swarmcdn.torrent.engine;

import io.swarmcdn.torrent.metainfo.Info;
import io.swarmcdn.torrent.peerwire.Bitfield;
import io.swarmcdn.torrent.storage.PieceStorage;

/** The simplest in-memory storage, to test the engine independently of the real ones. */
final class TestStorage implements PieceStorage {

    final byte[] data;
    final Bitfield verified;
    final int pieceLength;
    int discards;

    TestStorage(Info info, byte[] seedContent) {
        this.pieceLength = info.pieceLength();
        this.data = new byte[(int) info.totalLength()];
        this.verified = new Bitfield(info.pieceCount());
        if (seedContent != null) {
            System.arraycopy(seedContent, 0, data, 0, data.length);
            verified.setAll();
        }
    }

    @Override
    public boolean hasPiece(int piece) {
        return verified.get(piece);
    }

    @Override
    public void writeBlock(int piece, int offset, byte[] src, int srcOffset, int length) {
        if (verified.get(piece)) {
            throw new AssertionError("write to verified piece " + piece);
        }
        System.arraycopy(src, srcOffset, data, piece * pieceLength + offset, length);
    }

    @Override
    public void readBlock(int piece, int offset, byte[] dst, int dstOffset, int length) {
        if (!verified.get(piece)) {
            throw new AssertionError("read of unverified piece " + piece);
        }
        System.arraycopy(data, piece * pieceLength + offset, dst, dstOffset, length);
    }

    @Override
    public void readPiece(int piece, byte[] dst, int pieceSize) {
        System.arraycopy(data, piece * pieceLength, dst, 0, pieceSize);
    }

    @Override
    public void markVerified(int piece) {
        verified.set(piece);
    }

    @Override
    public void discardPiece(int piece) {
        discards++;
    }

    @Override
    public void close() {
    }
}
