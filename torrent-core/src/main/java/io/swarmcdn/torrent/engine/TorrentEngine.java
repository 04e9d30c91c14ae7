package io.swarmcdn.torrent.engine;

import io.swarmcdn.torrent.create.Sha1;
import io.swarmcdn.torrent.metainfo.Info;
import io.swarmcdn.torrent.metainfo.InfoHash;
import io.swarmcdn.torrent.metainfo.Metainfo;
import io.swarmcdn.torrent.metainfo.PieceLayout;
import io.swarmcdn.torrent.peerwire.Bitfield;
import io.swarmcdn.torrent.peerwire.Handshake;
import io.swarmcdn.torrent.peerwire.MessageId;
import io.swarmcdn.torrent.peerwire.PeerProtocolException;
import io.swarmcdn.torrent.peerwire.WireEncoder;
import io.swarmcdn.torrent.picker.PiecePicker;
import io.swarmcdn.torrent.storage.PieceStorage;
import io.swarmcdn.torrent.storage.StorageException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * The swarm engine of one torrent, sans I/O: it consumes bytes from peers and timer ticks, and
 * produces bytes to peers and events. Transports (TCP on the JVM, WebRTC data channels in the
 * browser) connect a {@link PeerLink} with {@link #addPeer}, feed what they read to
 * {@link #onBytes}, and report the end with {@link #onClosed}; the owner calls {@link #tick}
 * regularly (every 100..1000 ms) for timeouts, rates and choking rounds.
 *
 * <p>Not thread-safe by design: every call must come from one thread (or event loop), which is
 * what lets the same code run in a browser.
 *
 * <p>A magnet start ({@link Builder#magnet}) fetches the info dictionary with BEP 9 first; the
 * storage and the picker are created from it through the factories given to the builder.
 */
public final class TorrentEngine {

    final EngineConfig config;
    final EngineListener listener;
    final Sha1 sha1;
    final PieceHasher hasher;
    private final Clock clock;
    final byte[] infoHashBytes;
    final byte[] peerId;
    private final Function<Info, PieceStorage> storageFactory;
    private final Function<PieceLayout, PiecePicker> pickerFactory;

    final Choker choker = new Choker(this);
    final Uploads uploads = new Uploads(this);
    final Requests requests = new Requests(this);
    final MetadataExchange metadata;
    private final List<PeerSession> sessions = new ArrayList<>();
    private final List<PeerSession> sessionsView = Collections.unmodifiableList(sessions);
    private final List<Peer> peersView = Collections.unmodifiableList(sessions);
    private PeerSession[] slots = new PeerSession[8];
    private final Set<String> banned = new HashSet<>();
    long now;
    private boolean stopped;

    // Known once the info dictionary is (from the start, or after BEP 9).
    Info info;
    int pieceCount;
    int pieceLength;
    private int lastPieceSize;
    PieceStorage storage;
    PiecePicker picker;
    Bitfield have;
    Downloads downloads;

    private TorrentEngine(Builder b) {
        this.config = b.config;
        this.listener = b.listener;
        this.sha1 = b.sha1;
        this.hasher = b.hasher != null ? b.hasher : PieceHasher.of(b.sha1);
        this.clock = b.clock;
        this.infoHashBytes = b.infoHash.bytes();
        this.peerId = b.peerId != null ? b.peerId.clone() : randomPeerId(b.clock.nowMillis());
        this.storageFactory = b.storageFactory;
        this.pickerFactory = b.pickerFactory;
        this.now = clock.nowMillis();
        this.metadata = new MetadataExchange(this, b.infoBytes);
        if (b.info != null) {
            setUp(b.info);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- public API

    /**
     * A new connection (either direction). The engine sends its handshake at once; BEP 3 allows
     * both sides to send first. An address that was banned is refused (closed immediately).
     *
     * @param address the ban key: what identifies the remote end for this transport (an IP, or
     *     an IP and port where many peers share an IP, as in tests)
     */
    public Peer addPeer(PeerLink link, String address) {
        Objects.requireNonNull(link, "link");
        now = clock.nowMillis();
        int maxBitfield = info != null ? Bitfield.byteLength(pieceCount)
                : Bitfield.byteLength(config.maxMetadataSize / 20);
        PeerSession p = new PeerSession(this, link, address, maxBitfield, now);
        if (stopped || banned.contains(address)) {
            p.closed = true;
            p.decoder.stop();
            link.close(stopped ? "engine stopped" : "banned");
            return p;
        }
        sessions.add(p);
        p.slot = freeSlot(p);
        p.send(new Handshake(Handshake.reserved(config.extensionProtocol, config.fastExtension),
                infoHashBytes, peerId).encode());
        return p;
    }

    /** Bytes read from the peer's transport; the engine keeps no reference to {@code chunk}. */
    public void onBytes(Peer peer, byte[] chunk, int offset, int length) {
        PeerSession p = (PeerSession) peer;
        if (p.closed) {
            return;
        }
        now = clock.nowMillis();
        p.lastReceived = now;
        try {
            p.decoder.feed(chunk, offset, length);
        } catch (PeerProtocolException e) {
            close(p, e.getMessage());
        }
    }

    /** The transport closed (remote end, network error). */
    public void onClosed(Peer peer) {
        PeerSession p = (PeerSession) peer;
        if (!p.closed) {
            now = clock.nowMillis();
            cleanUp(p, "connection closed by the transport");
        }
    }

    /** The link drained below its high-water mark: serve queued requests. */
    public void onWritable(Peer peer) {
        PeerSession p = (PeerSession) peer;
        if (!p.closed) {
            now = clock.nowMillis();
            uploads.serve(p);
        }
    }

    /** Timers: rates, request timeouts, keep-alives, idle peers, choking rounds. */
    public void tick() {
        now = clock.nowMillis();
        for (PeerSession p : new ArrayList<>(sessions)) {
            if (p.closed) {
                continue;
            }
            p.down.sample(now);
            p.up.sample(now);
            if (now - p.lastReceived > config.idleTimeoutMillis) {
                close(p, "idle for " + (now - p.lastReceived) + " ms");
                continue;
            }
            if (!p.outstanding.isEmpty() && now - p.waitingSince > config.requestTimeoutMillis) {
                // Snubbed (BEP 3 "anti-snubbing"): give its requests to others, and keep only
                // one request in flight to it until it delivers again.
                requests.abandonAll(p);
                p.snubbed = true;
                p.slowStart = 0;
                p.waitingSince = now;
            }
            if (now - p.lastSent > config.keepAliveMillis) {
                p.send(WireEncoder.keepAlive());
            }
            uploads.serve(p);
            requests.fill(p);
        }
        choker.tick(now);
        metadata.tick(now);
    }

    boolean isStopped() {
        return stopped;
    }

    /** An asynchronous hash completed: room for more pieces, refill pipelines. */
    void afterHash() {
        now = clock.nowMillis();
        for (PeerSession p : new ArrayList<>(sessions)) {
            requests.fill(p);
        }
    }

    /** Closes every peer and the storage. */
    public void stop() {
        stopped = true;
        for (PeerSession p : new ArrayList<>(sessions)) {
            close(p, "engine stopped");
        }
        if (storage != null) {
            storage.close();
        }
    }

    /** The info dictionary, or null while a magnet start is still fetching it. */
    public Info info() {
        return info;
    }

    /** Verified pieces (a copy), or null before metadata. */
    public Bitfield verifiedPieces() {
        return have == null ? null : have.copy();
    }

    public boolean isComplete() {
        return have != null && have.isComplete();
    }

    /** Payload bytes received (blocks accepted), all peers. */
    public long downloadedBytes() {
        return downloads == null ? 0 : downloads.downloaded;
    }

    /** Payload bytes sent, all peers. */
    public long uploadedBytes() {
        return uploads.uploaded;
    }

    /** Connected peers (a live read-only view). */
    public List<Peer> peers() {
        return peersView;
    }

    public boolean isBanned(String address) {
        return banned.contains(address);
    }

    /** Our 20-byte peer id (a copy). */
    public byte[] peerId() {
        return peerId.clone();
    }

    /** The picker in use (e.g. to set a streaming window), or null before metadata. */
    public PiecePicker picker() {
        return picker;
    }

    // ---------------------------------------------------------------- internals

    List<PeerSession> sessions() {
        return sessionsView;
    }

    int pieceSize(int piece) {
        return piece == pieceCount - 1 ? lastPieceSize : pieceLength;
    }

    private void setUp(Info i) {
        info = i;
        PieceLayout layout = i.layout();
        pieceCount = layout.pieceCount();
        pieceLength = layout.pieceLength();
        lastPieceSize = layout.pieceSize(pieceCount - 1);
        storage = storageFactory.apply(i);
        picker = pickerFactory.apply(layout);
        have = new Bitfield(pieceCount);
        downloads = new Downloads(this, pieceCount);
        for (int k = 0; k < pieceCount; k++) {
            if (storage.hasPiece(k)) {
                have.set(k);
                picker.weHave(k);
            }
        }
    }

    void handshakeCompleted(PeerSession p) {
        if (p.fast) {
            if (have != null && have.isComplete()) {
                p.sendSimple(MessageId.HAVE_ALL);
            } else if (have == null || have.isEmpty()) {
                p.sendSimple(MessageId.HAVE_NONE);
            } else {
                p.send(WireEncoder.bitfield(have));
            }
        } else if (have != null && !have.isEmpty()) {
            p.send(WireEncoder.bitfield(have));
        }
        if (p.extended) {
            p.send(WireEncoder.extended(0, metadata.handshake()));
        }
        listener.peerConnected(p);
    }

    /** The peer's first announcement (bitfield / have all / have none), metadata known. */
    void peerAnnounced(PeerSession p) {
        if (p.pieces == null) {
            p.pieces = new Bitfield(pieceCount);
        }
        register(p);
    }

    /** Tells the picker about the peer once, and computes our interest. */
    void register(PeerSession p) {
        if (p.registered) {
            return;
        }
        if (p.pieces == null) {
            p.pieces = new Bitfield(pieceCount);
        }
        p.registered = true;
        picker.peerBitfield(p, p.pieces);
        int n = 0;
        for (int k = p.pieces.nextSet(0); k >= 0; k = p.pieces.nextSet(k + 1)) {
            if (!have.get(k)) {
                n++;
            }
        }
        p.interesting = n;
        p.setInterested(n > 0);
        requests.fill(p);
    }

    void peerHas(PeerSession p, int piece) {
        if (info == null) {
            p.addPendingHave(piece, config.maxMetadataSize / 20);
            return;
        }
        if (piece >= pieceCount) {
            throw new PeerProtocolException("have " + piece + " of " + pieceCount + " pieces");
        }
        register(p);
        if (p.pieces.set(piece)) {
            picker.peerHave(p, piece);
            if (!have.get(piece) && p.interesting++ == 0) {
                p.setInterested(true);
            }
            requests.fill(p);
        }
    }

    void pieceVerified(int piece) {
        have.set(piece);
        picker.pieceVerified(piece);
        byte[] haveMessage = WireEncoder.pieceIndex(MessageId.HAVE, piece);
        for (PeerSession p : new ArrayList<>(sessions)) {
            if (p.closed || !p.handshakeDone) {
                continue;
            }
            p.send(haveMessage.clone());
            if (p.pieces != null && p.pieces.get(piece) && --p.interesting == 0) {
                p.setInterested(false);
            }
        }
        listener.pieceVerified(piece);
        if (have.isComplete()) {
            listener.downloadComplete();
        }
    }

    void pieceFailed(int piece) {
        picker.pieceFailed(piece);
        listener.pieceFailed(piece);
        for (PeerSession p : new ArrayList<>(sessions)) {
            requests.fill(p);
        }
    }

    /** Bans the peer's address: closes every connection from it and refuses new ones. */
    void ban(PeerSession p, String reason) {
        String address = p.address();
        if (banned.add(address)) {
            listener.peerBanned(address, reason);
        }
        for (PeerSession s : new ArrayList<>(sessions)) {
            if (s.address().equals(address)) {
                close(s, "banned: " + reason);
            }
        }
    }

    void metadataFetched(Info i, byte[] infoBytes) {
        try {
            setUp(i);
        } catch (StorageException e) {
            listener.storageFailed("opening storage", e);
            stop();
            return;
        }
        listener.metadataReceived(i);
        for (PeerSession p : new ArrayList<>(sessions)) {
            if (p.closed || !p.handshakeDone) {
                continue;
            }
            try {
                applyPending(p);
            } catch (PeerProtocolException e) {
                close(p, e.getMessage());
            }
        }
    }

    /** What a peer announced before we knew the piece count, checked and applied now. */
    private void applyPending(PeerSession p) {
        p.decoder.setMaxBitfieldLength(Bitfield.byteLength(pieceCount));
        if (p.pendingHaveAll) {
            p.pieces = Bitfield.full(pieceCount);
        } else if (p.pendingBitfield != null) {
            try {
                p.pieces = Bitfield.fromBytes(p.pendingBitfield, 0, p.pendingBitfield.length,
                        pieceCount);
            } catch (IllegalArgumentException e) {
                throw new PeerProtocolException(e.getMessage());
            }
        } else {
            p.pieces = new Bitfield(pieceCount);
        }
        for (int k = 0; k < p.pendingHaveCount; k++) {
            if (p.pendingHaves[k] >= pieceCount) {
                throw new PeerProtocolException("have " + p.pendingHaves[k] + " of " + pieceCount
                        + " pieces");
            }
            p.pieces.set(p.pendingHaves[k]);
        }
        p.pendingBitfield = null;
        p.pendingHaves = new int[0];
        p.pendingHaveCount = 0;
        for (int k = have.nextSet(0); k >= 0; k = have.nextSet(k + 1)) {
            p.send(WireEncoder.pieceIndex(MessageId.HAVE, k));
        }
        register(p);
    }

    /** Closes the connection because of {@code reason}. */
    void close(PeerSession p, String reason) {
        if (p.closed) {
            return;
        }
        p.link.close(reason);
        cleanUp(p, reason);
    }

    private void cleanUp(PeerSession p, String reason) {
        p.closed = true;
        p.decoder.stop();
        sessions.remove(p);
        if (p.slot >= 0) {
            slots[p.slot] = null;
        }
        if (picker != null && p.registered) {
            requests.dropAll(p); // peerGone frees them in the picker
            picker.peerGone(p);
        }
        p.incoming.clear();
        choker.peerGone(p);
        metadata.peerGone(p);
        listener.peerClosed(p, reason);
    }

    private int freeSlot(PeerSession p) {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] == null) {
                slots[i] = p;
                return i;
            }
        }
        int i = slots.length;
        slots = java.util.Arrays.copyOf(slots, i * 2);
        slots[i] = p;
        return i;
    }

    private static byte[] randomPeerId(long seed) {
        // Azureus-style client prefix (BEP 20), then random bytes.
        byte[] id = new byte[20];
        byte[] prefix = "-SW0010-".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(prefix, 0, id, 0, prefix.length);
        Random r = new Random(seed ^ System.identityHashCode(id));
        for (int i = prefix.length; i < 20; i++) {
            id[i] = (byte) ('0' + r.nextInt(10));
        }
        return id;
    }

    /** Configures an engine; {@link #build()} checks that everything needed is set. */
    public static final class Builder {
        private EngineConfig config = EngineConfig.DEFAULT;
        private EngineListener listener = new EngineListener() { };
        private Sha1 sha1;
        private PieceHasher hasher;
        private Clock clock;
        private InfoHash infoHash;
        private Info info;
        private byte[] infoBytes;
        private byte[] peerId;
        private Function<Info, PieceStorage> storageFactory;
        private Function<PieceLayout, PiecePicker> pickerFactory;

        private Builder() {
        }

        /** Start from a .torrent: metadata known, nothing to fetch. */
        public Builder metainfo(Metainfo m) {
            infoHash = m.infoHash();
            info = m.info();
            infoBytes = m.infoBytes();
            return this;
        }

        /** Start from an info-hash only (a magnet URI): the info dictionary comes via BEP 9. */
        public Builder magnet(InfoHash hash) {
            infoHash = hash;
            info = null;
            infoBytes = null;
            return this;
        }

        /** Creates the storage once the info dictionary is known. */
        public Builder storage(Function<Info, PieceStorage> factory) {
            storageFactory = factory;
            return this;
        }

        /** Creates the piece picker once the piece layout is known. */
        public Builder picker(Function<PieceLayout, PiecePicker> factory) {
            pickerFactory = factory;
            return this;
        }

        public Builder sha1(Sha1 s) {
            sha1 = s;
            return this;
        }

        /**
         * How complete pieces are hashed (default: synchronously with {@link #sha1}); the
         * {@code sha1} is still used for the small digests (metadata, smart-ban blocks).
         */
        public Builder hasher(PieceHasher h) {
            hasher = h;
            return this;
        }

        public Builder clock(Clock c) {
            clock = c;
            return this;
        }

        public Builder listener(EngineListener l) {
            listener = l;
            return this;
        }

        public Builder config(EngineConfig c) {
            config = c;
            return this;
        }

        /** Our peer id (20 bytes); random with a {@code -SW0010-} prefix if not set. */
        public Builder peerId(byte[] id) {
            if (id.length != 20) {
                throw new IllegalArgumentException("peer id must be 20 bytes");
            }
            peerId = id.clone();
            return this;
        }

        public TorrentEngine build() {
            Objects.requireNonNull(infoHash, "metainfo or magnet");
            Objects.requireNonNull(storageFactory, "storage");
            Objects.requireNonNull(pickerFactory, "picker");
            Objects.requireNonNull(sha1, "sha1");
            Objects.requireNonNull(clock, "clock");
            return new TorrentEngine(this);
        }
    }
}
