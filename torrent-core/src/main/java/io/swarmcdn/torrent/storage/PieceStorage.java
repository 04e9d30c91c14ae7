package io.swarmcdn.torrent.storage;

/**
 * Where the engine keeps the bytes of one torrent. The swarm engine is the only caller, from a
 * single thread (the engine is sans-I/O and never calls concurrently), so implementations need no
 * locking unless they share state elsewhere.
 *
 * <p>Coordinates are always {@code (piece, offset-in-piece, length)} as on the wire (BEP 3); the
 * implementation maps them to files (a piece may span several files of a multi-file torrent) or
 * to memory. The engine validates every coordinate against the torrent's piece layout before
 * calling, so an implementation may treat an out-of-range argument as a programming error
 * ({@link IllegalArgumentException}).
 *
 * <p>Life cycle of a piece, as driven by the engine:
 * <ol>
 *   <li>{@link #writeBlock} for each block as it arrives from a peer (not yet trusted: the data
 *       may be corrupt or even malicious);</li>
 *   <li>{@link #readPiece} once every block is written, to hash it (SHA-1, BEP 3);</li>
 *   <li>{@link #markVerified} if the hash matches: from then on {@link #hasPiece} is true and the
 *       piece may be served to other peers with {@link #readBlock}; or {@link #discardPiece} if it
 *       does not, after which the engine fetches the piece again and writes it over.</li>
 * </ol>
 *
 * <p>I/O failures are reported as {@link StorageException}; the engine reports them as an event
 * and does not retry on its own. TeaVM-compatible contract: no {@code java.nio.file}, no threads.
 */
public interface PieceStorage {

    /**
     * Whether the piece is stored and verified (after {@link #markVerified}, or because the
     * storage was opened over data it knows to be complete, e.g. a seeder's own file or a resume
     * record). The engine asks this once per piece at start, to build its own bitfield.
     */
    boolean hasPiece(int piece);

    /**
     * Stores a received, not yet verified block. Writing a block twice (a re-fetch after a failed
     * piece, or a duplicate in endgame) overwrites it. The implementation must copy what it needs
     * before returning: the engine reuses {@code src}.
     */
    void writeBlock(int piece, int offset, byte[] src, int srcOffset, int length);

    /**
     * Copies {@code length} bytes of a <em>verified</em> piece into {@code dst}, to upload them to
     * a peer. The engine only calls this for pieces for which {@link #hasPiece} is true.
     */
    void readBlock(int piece, int offset, byte[] dst, int dstOffset, int length);

    /**
     * Copies the whole piece (verified or not: every block has been written) into {@code dst}
     * starting at index 0, {@code pieceSize} bytes, so that the engine can hash it. The engine
     * owns and reuses {@code dst}, which is at least {@code pieceSize} long.
     */
    void readPiece(int piece, byte[] dst, int pieceSize);

    /** The piece's hash matched: it may now be served and survives as complete. */
    void markVerified(int piece);

    /**
     * The piece's hash did not match (or the engine gave up on it): forget its blocks. The engine
     * will write every block again before the next {@link #readPiece}. A verified piece is never
     * discarded.
     */
    void discardPiece(int piece);

    /** Releases resources (open files). No further calls follow. */
    void close();
}
