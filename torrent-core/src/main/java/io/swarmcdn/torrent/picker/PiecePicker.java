package io.swarmcdn.torrent.picker;

import io.swarmcdn.torrent.peerwire.Bitfield;

/**
 * Decides which blocks the engine requests from which peer. The swarm engine owns the wire and
 * the per-peer request pipelines; the picker owns the per-block state of the torrent (free,
 * requested by whom, received) and the piece order. All calls come from the engine's single
 * thread; none may block.
 *
 * <p>Geometry: an implementation is built for one torrent's piece layout (piece count, piece
 * length, total length) and cuts pieces into 16 KiB blocks ({@link #BLOCK_SIZE}; the last block
 * of the last piece may be shorter), the request size every client uses (BEP 3 as practised;
 * BEP 52). Blocks are named by {@code (piece, offset)} with {@code offset} a multiple of 16 KiB.
 *
 * <p>The engine's calls, in order of a download:
 * <ol>
 *   <li>at start, {@link #weHave} for each piece storage already holds verified;</li>
 *   <li>{@link #peerBitfield} once per peer (also for BEP 6 {@code have all}/{@code have none},
 *       and as an empty bitfield for a peer that sent none), then {@link #peerHave} for each
 *       {@code have};</li>
 *   <li>{@link #pickBlocks} whenever a peer that unchoked us (or granted BEP 6 allowed-fast
 *       pieces) has room in its request pipeline; each block the picker emits is considered
 *       requested by that peer until {@link #blockReceived} or {@link #requestAbandoned};</li>
 *   <li>{@link #pieceVerified} or {@link #pieceFailed} once all blocks of a piece arrived and the
 *       engine hashed it; on failure every block of the piece becomes free again;</li>
 *   <li>{@link #peerGone} when a connection ends: its requests are abandoned implicitly and its
 *       pieces no longer count for availability.</li>
 * </ol>
 *
 * <p>Modes: rarest-first (the default: among the pieces a peer can give us, prefer those fewest
 * peers have, finishing partially downloaded pieces first), streaming (a moving window of pieces
 * picked in order, with optional per-piece deadlines that go first; pieces outside the window
 * are still picked rarest-first once the window is fully requested) and endgame (when every
 * missing block is already requested, the picker may hand out a block a second time to another
 * peer; the engine cancels the duplicates when the first copy arrives, BEP 3 "End Game").
 */
public interface PiecePicker {

    /** Request size: 16 KiB, the largest request peers must serve (larger ones get dropped). */
    int BLOCK_SIZE = 16 * 1024;

    /** The engine's view of one connected peer, as the picker needs it. */
    interface Peer {

        /**
         * A small non-negative number unique among currently connected peers (reused after
         * {@link #peerGone}), so that pickers can index arrays or bit sets instead of hashing.
         */
        int slot();

        /** The pieces this peer announced (read-only: the picker must not modify it). */
        Bitfield pieces();

        /**
         * Whether the engine may request this piece from the peer now: the peer has it and either
         * unchoked us or allowed it as a BEP 6 fast piece while choking us.
         */
        boolean canRequest(int piece);

        /** Measured download rate from this peer in bytes per second (0 if unknown yet). */
        int downloadRate();
    }

    /** Receives the blocks chosen by {@link #pickBlocks}. */
    interface BlockSink {

        /** Request {@code length} bytes at {@code offset} of {@code piece} from the peer. */
        void request(int piece, int offset, int length);
    }

    /** We hold this piece verified (at start, from storage). Same effect as {@link #pieceVerified}. */
    void weHave(int piece);

    /** The peer's full set of pieces, announced once after the handshake. */
    void peerBitfield(Peer peer, Bitfield pieces);

    /** The peer announced one more piece ({@code have}). */
    void peerHave(Peer peer, int piece);

    /** The peer disconnected: drop its requests (blocks become free) and its availability. */
    void peerGone(Peer peer);

    /**
     * Chooses up to {@code max} blocks to request from {@code peer} and emits each to
     * {@code sink}; returns how many were emitted (0 if the peer has nothing we need). Never emits
     * a block of a piece we have, nor a block already requested from this same peer; emits a
     * block already requested from another peer only in endgame.
     *
     * @param nowMillis the engine clock, to compare against streaming deadlines
     */
    int pickBlocks(Peer peer, int max, long nowMillis, BlockSink sink);

    /** A requested block arrived from {@code peer} and was written to storage. */
    void blockReceived(Peer peer, int piece, int offset);

    /**
     * A request to {@code peer} will not be answered (timed out, rejected with BEP 6
     * {@code reject request}, dropped because the peer choked us, or cancelled as an endgame
     * duplicate): the block is free again unless another peer has it in flight or delivered it.
     */
    void requestAbandoned(Peer peer, int piece, int offset);

    /** All blocks of the piece arrived and its SHA-1 matched. */
    void pieceVerified(int piece);

    /** All blocks of the piece arrived but its SHA-1 did not match: every block is free again. */
    void pieceFailed(int piece);

    /** Whether every missing block is currently requested (endgame, BEP 3). */
    boolean isEndgame();

    /**
     * Streaming: pick the {@code count} pieces starting at {@code firstPiece} in order, before
     * any other piece. Called again as playback moves; {@code count == 0} returns to rarest-first.
     */
    void setStreamingWindow(int firstPiece, int count);

    /**
     * Streaming: the piece is needed by {@code deadlineMillis} (engine clock); pieces with the
     * earliest deadline go first. {@code Long.MAX_VALUE} clears the deadline.
     */
    void setDeadline(int piece, long deadlineMillis);
}
