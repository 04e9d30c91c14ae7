package io.swarmcdn.torrent.storage;

import io.swarmcdn.torrent.metainfo.PieceLayout;

/**
 * A {@link PieceStorage} that keeps every piece in memory: for tests, for small torrents, and for
 * the browser, where no file system is at hand. A piece's array is allocated when its first block
 * arrives, so a download holds only the pieces it has touched; the whole torrent must still fit.
 *
 * <p>TeaVM-compatible: plain arrays, no threads, no {@code java.nio}.
 */
public final class InMemoryPieceStorage implements PieceStorage {

    private final PieceLayout layout;
    private final int pieceCount;
    private final byte[][] pieces;
    private final boolean[] verified;
    private boolean closed;

    /** Empty storage for a torrent with this piece layout. */
    public InMemoryPieceStorage(PieceLayout layout) {
        this.layout = layout;
        this.pieceCount = layout.pieceCount();
        this.pieces = new byte[pieceCount][];
        this.verified = new boolean[pieceCount];
    }

    /**
     * Storage that already holds {@code content}, every piece marked verified: a seeder serving a
     * buffer it trusts (the caller has checked it against the torrent, or created the torrent).
     */
    public static InMemoryPieceStorage seeded(byte[] content, int pieceLength) {
        InMemoryPieceStorage s = new InMemoryPieceStorage(PieceLayout.of(pieceLength, content.length));
        for (int i = 0; i < s.pieceCount; i++) {
            int size = s.pieceSize(i);
            byte[] p = new byte[size];
            System.arraycopy(content, (int) s.layout.pieceOffset(i), p, 0, size);
            s.pieces[i] = p;
            s.verified[i] = true;
        }
        return s;
    }

    @Override
    public boolean hasPiece(int piece) {
        checkPiece(piece);
        return verified[piece];
    }

    @Override
    public void writeBlock(int piece, int offset, byte[] src, int srcOffset, int length) {
        byte[] p = pieceFor(piece, offset, length);
        if (verified[piece]) {
            // A verified piece holds hashed bytes; a late duplicate block (endgame) must not
            // replace them with anything else.
            return;
        }
        System.arraycopy(src, srcOffset, p, offset, length);
    }

    @Override
    public void readBlock(int piece, int offset, byte[] dst, int dstOffset, int length) {
        checkRange(piece, offset, length);
        if (!verified[piece]) {
            throw new IllegalArgumentException("piece " + piece + " is not verified");
        }
        System.arraycopy(pieces[piece], offset, dst, dstOffset, length);
    }

    @Override
    public void readPiece(int piece, byte[] dst, int pieceSize) {
        checkRange(piece, 0, pieceSize);
        if (pieceSize != pieceSize(piece)) {
            throw new IllegalArgumentException(
                    "piece " + piece + " has " + pieceSize(piece) + " bytes, not " + pieceSize);
        }
        byte[] p = pieces[piece];
        if (p == null) {
            throw new StorageException("piece " + piece + " was never written");
        }
        System.arraycopy(p, 0, dst, 0, pieceSize);
    }

    @Override
    public void markVerified(int piece) {
        checkPiece(piece);
        if (pieces[piece] == null) {
            throw new IllegalArgumentException("piece " + piece + " was never written");
        }
        verified[piece] = true;
    }

    @Override
    public void discardPiece(int piece) {
        checkPiece(piece);
        if (!verified[piece]) {
            pieces[piece] = null;
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    /**
     * The bytes of the whole torrent, once every piece is verified (the result of an in-memory
     * download). Fails for torrents above 2 GiB, which a single array cannot hold.
     */
    public byte[] content() {
        long total = layout.totalLength();
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("torrent too large for one array: " + total);
        }
        byte[] out = new byte[(int) total];
        for (int i = 0; i < pieceCount; i++) {
            if (!verified[i]) {
                throw new IllegalStateException("piece " + i + " is not verified");
            }
            System.arraycopy(pieces[i], 0, out, (int) layout.pieceOffset(i), pieces[i].length);
        }
        return out;
    }

    private byte[] pieceFor(int piece, int offset, int length) {
        checkRange(piece, offset, length);
        byte[] p = pieces[piece];
        if (p == null) {
            p = new byte[pieceSize(piece)];
            pieces[piece] = p;
        }
        return p;
    }

    private int pieceSize(int piece) {
        return layout.pieceSize(piece);
    }

    private void checkPiece(int piece) {
        if (closed) {
            throw new IllegalStateException("storage is closed");
        }
        if (piece < 0 || piece >= pieceCount) {
            throw new IllegalArgumentException("piece " + piece + " of " + pieceCount);
        }
    }

    private void checkRange(int piece, int offset, int length) {
        checkPiece(piece);
        if (offset < 0 || length < 0 || offset + length > pieceSize(piece) || offset + length < 0) {
            throw new IllegalArgumentException(
                    "range " + offset + "+" + length + " outside piece " + piece + " of "
                            + pieceSize(piece) + " bytes");
        }
    }
}
