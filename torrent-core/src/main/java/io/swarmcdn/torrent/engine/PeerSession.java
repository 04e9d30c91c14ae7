package io.swarmcdn.torrent.engine;

import io.swarmcdn.torrent.peerwire.Bitfield;
import io.swarmcdn.torrent.peerwire.ExtensionHandshake;
import io.swarmcdn.torrent.peerwire.Handshake;
import io.swarmcdn.torrent.peerwire.MessageId;
import io.swarmcdn.torrent.peerwire.MetadataMessage;
import io.swarmcdn.torrent.peerwire.PeerProtocolException;
import io.swarmcdn.torrent.peerwire.WireDecoder;
import io.swarmcdn.torrent.peerwire.WireEncoder;
import io.swarmcdn.torrent.peerwire.WireHandler;
import io.swarmcdn.torrent.picker.PiecePicker;
import java.util.Arrays;

/**
 * State of one peer connection (BEP 3 choke/interest flags, what the peer has, our requests in
 * flight, its requests queued at us, negotiated extensions) and the decoding of its messages.
 * Anything that involves other peers or the torrent goes to {@link TorrentEngine}.
 */
final class PeerSession implements Peer, PiecePicker.Peer, WireHandler {

    /** BEP 6 allowed-fast sets are small (libtorrent grants 10); cap what we remember. */
    private static final int MAX_ALLOWED_FAST = 32;

    final TorrentEngine engine;
    final PeerLink link;
    private final String address;
    final WireDecoder decoder;
    int slot = -1;

    byte[] peerId;
    boolean handshakeDone;
    boolean fast;
    boolean extended;
    boolean closed;

    boolean amChoking = true;
    boolean amInterested;
    boolean peerChoking = true;
    boolean peerInterested;

    /** The peer's pieces once the piece count is known; null before metadata. */
    Bitfield pieces;
    /** Whether the picker was told about this peer (its first bitfield). */
    boolean registered;
    /** Pieces the peer has that we lack: interest is {@code interesting > 0}. */
    int interesting;
    /** Before metadata (magnet start): what the peer announced, applied once we know the count. */
    byte[] pendingBitfield;
    boolean pendingHaveAll;
    int[] pendingHaves = new int[0];
    int pendingHaveCount;
    boolean announcedPieces;

    int utMetadataId;
    long metadataSize = -1;
    int requestQueueLimit;

    final BlockList outstanding;
    final BlockList incoming;
    private int[] allowedFast = new int[0];
    /** Delivered nothing within the request timeout: one request at a time until it does. */
    boolean snubbed;
    /**
     * Slow-start window (RFC 5681 style): one more request in flight per block delivered, so the
     * pipeline doubles every round trip until the rate meter, sampled only on ticks, has caught up.
     */
    int slowStart;
    /** When we last got a block, or started waiting with an empty pipeline. */
    long waitingSince;
    long lastReceived;
    long lastSent;
    final RateMeter down = new RateMeter();
    final RateMeter up = new RateMeter();
    long lastOptimistic = -1;
    /** Pieces that failed verification with this peer as the only source (smart-ban). */
    int soleHashFailures;

    PeerSession(TorrentEngine engine, PeerLink link, String address, int maxBitfieldLength,
            long now) {
        this.engine = engine;
        this.link = link;
        this.address = address;
        EngineConfig c = engine.config;
        this.decoder = new WireDecoder(this, true, maxBitfieldLength,
                MetadataMessage.PIECE_SIZE + 1024);
        this.outstanding = new BlockList(c.maxPipeline);
        this.incoming = new BlockList(c.maxIncomingRequests);
        this.lastReceived = now;
        this.lastSent = now;
    }

    void send(byte[] message) {
        send(message, message.length);
    }

    void send(byte[] message, int length) {
        if (!closed) {
            lastSent = engine.now;
            link.send(message, 0, length);
        }
    }

    // ---- WireHandler: each message, validated, then acted upon ----

    @Override
    public void onHandshake(Handshake hs) {
        if (!hs.infoHashEquals(engine.infoHashBytes)) {
            throw new PeerProtocolException("handshake for another torrent");
        }
        byte[] id = hs.peerId();
        if (Arrays.equals(id, engine.peerId)) {
            throw new PeerProtocolException("connected to ourselves");
        }
        for (PeerSession other : engine.sessions()) {
            if (other != this && other.peerId != null && Arrays.equals(other.peerId, id)) {
                // Both sides dialled each other, or a peer reconnected: keep the first link.
                throw new PeerProtocolException("already connected to this peer id");
            }
        }
        peerId = id;
        fast = engine.config.fastExtension && hs.supportsFast();
        extended = engine.config.extensionProtocol && hs.supportsExtensionProtocol();
        handshakeDone = true;
        engine.handshakeCompleted(this);
    }

    @Override
    public void onKeepAlive() {
        // lastReceived is updated for every chunk.
    }

    @Override
    public void onChoke() {
        peerChoking = true;
        if (!fast) {
            // BEP 3: a choke discards all pending requests. With BEP 6 the peer rejects them
            // one by one instead, so they stay in flight until then.
            engine.requests.abandonAll(this);
        }
    }

    @Override
    public void onUnchoke() {
        peerChoking = false;
        engine.requests.fill(this);
    }

    @Override
    public void onInterested() {
        peerInterested = true;
        engine.choker.peerInterested(this);
    }

    @Override
    public void onNotInterested() {
        peerInterested = false;
        engine.choker.peerNotInterested(this);
    }

    @Override
    public void onHave(int piece) {
        announcedPieces = true;
        engine.peerHas(this, piece);
    }

    @Override
    public void onBitfield(byte[] src, int offset, int length) {
        if (announcedPieces || registered) {
            laterBitfield(src, offset, length);
            return;
        }
        firstAnnouncement("bitfield");
        if (engine.info == null) {
            pendingBitfield = Arrays.copyOfRange(src, offset, offset + length);
        } else {
            try {
                pieces = Bitfield.fromBytes(src, offset, length, engine.pieceCount);
            } catch (IllegalArgumentException e) {
                throw new PeerProtocolException(e.getMessage());
            }
            engine.peerAnnounced(this);
        }
    }

    /**
     * BEP 3 allows the bitfield only as the first message, but aria2c (1.36) sends a later one in
     * place of a run of {@code have} messages (seen in the aria2c interop test); the real client
     * wins. Taken as the haves it adds: a peer never loses pieces this way.
     */
    private void laterBitfield(byte[] src, int offset, int length) {
        if (engine.info == null) {
            if (pendingBitfield == null) {
                pendingBitfield = Arrays.copyOfRange(src, offset, offset + length);
            } else if (pendingBitfield.length == length) {
                for (int i = 0; i < length; i++) {
                    pendingBitfield[i] |= src[offset + i];
                }
            } else {
                throw new PeerProtocolException("bitfields of different lengths");
            }
            return;
        }
        Bitfield later;
        try {
            later = Bitfield.fromBytes(src, offset, length, engine.pieceCount);
        } catch (IllegalArgumentException e) {
            throw new PeerProtocolException(e.getMessage());
        }
        for (int i = later.nextSet(0); i >= 0; i = later.nextSet(i + 1)) {
            engine.peerHas(this, i);
        }
    }

    @Override
    public void onHaveAll() {
        requireFast("have all");
        firstAnnouncement("have all");
        if (engine.info == null) {
            pendingHaveAll = true;
        } else {
            pieces = Bitfield.full(engine.pieceCount);
            engine.peerAnnounced(this);
        }
    }

    @Override
    public void onHaveNone() {
        requireFast("have none");
        firstAnnouncement("have none");
        if (engine.info != null) {
            engine.peerAnnounced(this);
        }
    }

    private void firstAnnouncement(String what) {
        // BEP 3 / BEP 6: the bitfield (or have all / have none) may only be the first message.
        if (announcedPieces || registered) {
            throw new PeerProtocolException(what + " after the peer already announced pieces");
        }
        announcedPieces = true;
    }

    @Override
    public void onRequest(int piece, int begin, int length) {
        engine.uploads.request(this, piece, begin, length);
    }

    @Override
    public void onPiece(int piece, int begin, byte[] src, int offset, int length) {
        engine.requests.blockArrived(this, piece, begin, src, offset, length);
    }

    @Override
    public void onCancel(int piece, int begin, int length) {
        engine.uploads.cancel(this, piece, begin, length);
    }

    @Override
    public void onSuggest(int piece) {
        requireFast("suggest piece");
        // A hint only (BEP 6): rarest-first already orders our requests.
    }

    @Override
    public void onReject(int piece, int begin, int length) {
        requireFast("reject request");
        engine.requests.rejected(this, piece, begin);
    }

    @Override
    public void onAllowedFast(int piece) {
        requireFast("allowed fast");
        if (engine.info != null && piece >= engine.pieceCount) {
            throw new PeerProtocolException("allowed fast piece " + piece + " out of range");
        }
        if (allowedFast.length < MAX_ALLOWED_FAST && !isAllowedFast(piece)) {
            allowedFast = Arrays.copyOf(allowedFast, allowedFast.length + 1);
            allowedFast[allowedFast.length - 1] = piece;
            engine.requests.fill(this);
        }
    }

    @Override
    public void onExtended(int extendedId, byte[] src, int offset, int length) {
        if (!extended) {
            throw new PeerProtocolException("extended message without BEP 10 negotiated");
        }
        if (extendedId == 0) {
            ExtensionHandshake h = ExtensionHandshake.parse(src, offset, length);
            utMetadataId = h.utMetadataId();
            metadataSize = h.metadataSize();
            requestQueueLimit = h.requestQueue();
            engine.metadata.peerHandshake(this);
        } else if (extendedId == ExtensionHandshake.UT_METADATA_ID) {
            engine.metadata.message(this, MetadataMessage.parse(src, offset, length));
        }
        // Other extensions (ut_pex, ...) are not ours to handle: ignored as BEP 10 allows.
    }

    private void requireFast(String what) {
        if (!fast) {
            throw new PeerProtocolException(what + " without the Fast extension negotiated");
        }
    }

    // ---- helpers used by the engine ----

    void addPendingHave(int piece, int maxPieces) {
        if (piece >= maxPieces) {
            throw new PeerProtocolException("have " + piece + " beyond any possible piece count");
        }
        if (pendingHaveCount == pendingHaves.length) {
            pendingHaves = Arrays.copyOf(pendingHaves, Math.max(16, pendingHaveCount * 2));
        }
        pendingHaves[pendingHaveCount++] = piece;
    }

    boolean isAllowedFast(int piece) {
        for (int p : allowedFast) {
            if (p == piece) {
                return true;
            }
        }
        return false;
    }

    /** Requests to keep in flight: a few seconds of the measured rate, within the bounds. */
    int targetPipeline() {
        if (snubbed) {
            return 1;
        }
        EngineConfig c = engine.config;
        int byRate = (int) Math.min(Integer.MAX_VALUE,
                (long) down.rate() * c.pipelineSeconds / WireDecoder.MAX_BLOCK);
        int limit = c.maxPipeline;
        if (requestQueueLimit > 0) {
            limit = Math.min(limit, requestQueueLimit);
        }
        return Math.max(1, Math.min(limit, Math.max(c.minPipeline, Math.max(byRate, slowStart))));
    }

    void sendSimple(int id) {
        send(WireEncoder.simple(id));
    }

    void setInterested(boolean want) {
        if (want != amInterested) {
            amInterested = want;
            sendSimple(want ? MessageId.INTERESTED : MessageId.NOT_INTERESTED);
        }
    }

    // ---- Peer / PiecePicker.Peer ----

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
        return pieces != null && pieces.get(piece) && (!peerChoking || isAllowedFast(piece));
    }

    @Override
    public int downloadRate() {
        return down.rate();
    }

    @Override
    public int uploadRate() {
        return up.rate();
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public byte[] peerId() {
        return peerId == null ? null : peerId.clone();
    }

    @Override
    public long downloadedBytes() {
        return down.total();
    }

    @Override
    public long uploadedBytes() {
        return up.total();
    }

    @Override
    public boolean amChoking() {
        return amChoking;
    }

    @Override
    public boolean isChokingUs() {
        return peerChoking;
    }

    @Override
    public boolean isInterested() {
        return peerInterested;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "Peer[" + address + "]";
    }
}
