package io.swarmcdn.torrent.jvm.storage;

import io.swarmcdn.torrent.jvm.hash.ParallelPieceHasher;
import io.swarmcdn.torrent.jvm.hash.Progress;
import io.swarmcdn.torrent.metainfo.FileSpan;
import io.swarmcdn.torrent.metainfo.Info;
import io.swarmcdn.torrent.metainfo.PieceLayout;
import io.swarmcdn.torrent.storage.PieceStorage;
import io.swarmcdn.torrent.storage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;

/**
 * A {@link PieceStorage} over the torrent's real files, single- or multi-file: every block is
 * mapped onto the files it covers with {@link PieceLayout#spans(long, int)} and read or written
 * with positional {@link FileChannel} I/O (no shared file pointer, no memory mapping, so a 1 TiB
 * torrent costs no address space).
 *
 * <p>Files are created sparse and grow as blocks arrive; nothing is preallocated. Use
 * {@link TorrentPaths} to place them safely under a target directory, and {@link #checkExisting}
 * to seed or resume from data already on disk.
 */
public final class FilePieceStorage implements PieceStorage {

    private final Info info;
    private final PieceLayout layout;
    private final OpenFiles files;
    private final BitSet verified;

    private FilePieceStorage(Info info, OpenFiles files) {
        this.info = info;
        this.layout = info.layout();
        this.files = files;
        this.verified = new BitSet(layout.pieceCount());
    }

    /**
     * Storage that downloads into the torrent's files under {@code directory} (created as
     * needed), as laid out by {@link TorrentPaths#resolve}.
     *
     * @throws IOException if a directory cannot be created, or a path would leave
     *     {@code directory} (through a symbolic link, for instance)
     */
    public static FilePieceStorage forDownload(Path directory, Info info) throws IOException {
        List<Path> paths = TorrentPaths.create(directory, info);
        return new FilePieceStorage(info, new OpenFiles(paths, true));
    }

    /**
     * Read-only storage over existing files, in torrent order (e.g. the one file a single-file
     * torrent was made from). Nothing is verified until {@link #checkExisting} ran.
     */
    public static FilePieceStorage forSeeding(List<Path> paths, Info info) {
        if (paths.size() != info.files().size()) {
            throw new IllegalArgumentException(
                    paths.size() + " paths for a torrent of " + info.files().size() + " files");
        }
        return new FilePieceStorage(info, new OpenFiles(List.copyOf(paths), false));
    }

    /**
     * Hashes the data already in the files and marks every matching piece verified (resume, or a
     * seeder starting on its own copy). Missing or short files only fail the pieces they cover.
     *
     * @return the number of pieces verified
     */
    public int checkExisting(ParallelPieceHasher hasher, Progress progress) throws IOException {
        if (nothingOnDisk()) {
            return verified.cardinality(); // a fresh download: no need to read 0 bytes per piece
        }
        BitSet good = hasher.verify(info, files.paths(), progress);
        verified.or(good);
        return verified.cardinality();
    }

    private boolean nothingOnDisk() throws IOException {
        for (Path p : files.paths()) {
            if (Files.exists(p) && Files.size(p) > 0) {
                return false;
            }
        }
        return true;
    }

    /** The files, in torrent order. */
    public List<Path> paths() {
        return files.paths();
    }

    /** Number of verified pieces. */
    public int verifiedCount() {
        return verified.cardinality();
    }

    @Override
    public boolean hasPiece(int piece) {
        checkPiece(piece);
        return verified.get(piece);
    }

    @Override
    public void writeBlock(int piece, int offset, byte[] src, int srcOffset, int length) {
        checkRange(piece, offset, length);
        if (verified.get(piece)) {
            return; // a late endgame duplicate must not overwrite verified data
        }
        int at = srcOffset;
        for (FileSpan span : layout.spans(layout.pieceOffset(piece) + offset, length)) {
            write(span, ByteBuffer.wrap(src, at, span.length()));
            at += span.length();
        }
    }

    @Override
    public void readBlock(int piece, int offset, byte[] dst, int dstOffset, int length) {
        checkRange(piece, offset, length);
        if (!verified.get(piece)) {
            throw new IllegalArgumentException("piece " + piece + " is not verified");
        }
        read(layout.pieceOffset(piece) + offset, dst, dstOffset, length);
    }

    @Override
    public void readPiece(int piece, byte[] dst, int pieceSize) {
        checkPiece(piece);
        if (pieceSize != layout.pieceSize(piece)) {
            throw new IllegalArgumentException(
                    "piece " + piece + " has " + layout.pieceSize(piece) + " bytes, not " + pieceSize);
        }
        read(layout.pieceOffset(piece), dst, 0, pieceSize);
    }

    @Override
    public void markVerified(int piece) {
        checkPiece(piece);
        verified.set(piece);
    }

    @Override
    public void discardPiece(int piece) {
        checkPiece(piece);
        // Nothing to erase: the engine writes every block again before the next readPiece, and
        // the stale bytes are never served because the piece is not verified.
    }

    @Override
    public void close() {
        files.close();
    }

    private void read(long torrentOffset, byte[] dst, int dstOffset, int length) {
        int at = dstOffset;
        for (FileSpan span : layout.spans(torrentOffset, length)) {
            ByteBuffer buf = ByteBuffer.wrap(dst, at, span.length());
            FileChannel ch = files.channel(span.fileIndex());
            long pos = span.fileOffset();
            try {
                while (buf.hasRemaining()) {
                    int n = ch.read(buf, pos);
                    if (n < 0) {
                        throw new StorageException(files.paths().get(span.fileIndex())
                                + " ends before byte " + (span.fileOffset() + span.length()));
                    }
                    pos += n;
                }
            } catch (IOException e) {
                throw new StorageException("cannot read " + files.paths().get(span.fileIndex())
                        + ": " + e.getMessage(), e);
            }
            at += span.length();
        }
    }

    private void write(FileSpan span, ByteBuffer buf) {
        FileChannel ch = files.channel(span.fileIndex());
        long pos = span.fileOffset();
        try {
            while (buf.hasRemaining()) {
                pos += ch.write(buf, pos);
            }
        } catch (IOException e) {
            throw new StorageException("cannot write " + files.paths().get(span.fileIndex())
                    + ": " + e.getMessage(), e);
        }
    }

    private void checkPiece(int piece) {
        if (piece < 0 || piece >= layout.pieceCount()) {
            throw new IllegalArgumentException("piece " + piece + " of " + layout.pieceCount());
        }
    }

    private void checkRange(int piece, int offset, int length) {
        checkPiece(piece);
        int size = layout.pieceSize(piece);
        if (offset < 0 || length < 0 || offset > size - length) {
            throw new IllegalArgumentException(
                    "range " + offset + "+" + length + " outside piece " + piece + " of " + size + " bytes");
        }
    }
}
