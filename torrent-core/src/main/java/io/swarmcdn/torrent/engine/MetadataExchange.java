package io.swarmcdn.torrent.engine;

import io.swarmcdn.torrent.metainfo.Info;
import io.swarmcdn.torrent.metainfo.MetainfoException;
import io.swarmcdn.torrent.peerwire.ExtensionHandshake;
import io.swarmcdn.torrent.peerwire.MetadataMessage;
import io.swarmcdn.torrent.peerwire.PeerProtocolException;
import io.swarmcdn.torrent.peerwire.WireEncoder;
import java.util.Arrays;

/**
 * BEP 9 ut_metadata, both ways. Serving: once we know the info dictionary, any peer may ask for
 * its 16 KiB pieces. Fetching (magnet start): the size comes from a peer's extended handshake
 * ({@code metadata_size}, capped by {@code maxMetadataSize}); each piece is asked from one peer
 * at a time; the assembled dictionary is accepted only if its SHA-1 is the info-hash. If it is
 * not, every peer that contributed is banned (one of them lied, and the metadata is small enough
 * to fetch again from the others).
 */
final class MetadataExchange {

    /** Metadata pieces asked from one peer at once. */
    private static final int PER_PEER = 4;

    private final TorrentEngine engine;
    /** The verified info dictionary (served), or null while fetching. */
    private byte[] info;

    private int size = -1;
    private byte[] buffer;
    private PeerSession[] askedFrom;
    private long[] askedAt;
    private PeerSession[] source;
    private int received;

    MetadataExchange(TorrentEngine engine, byte[] info) {
        this.engine = engine;
        this.info = info;
    }

    int size() {
        return info != null ? info.length : -1;
    }

    void peerHandshake(PeerSession p) {
        if (info == null) {
            request(p);
        }
    }

    void message(PeerSession p, MetadataMessage m) {
        switch (m.type()) {
            case MetadataMessage.REQUEST -> serve(p, m.piece());
            case MetadataMessage.DATA -> data(p, m);
            case MetadataMessage.REJECT -> rejected(p, m.piece());
            default -> {
                // BEP 9: unknown msg_type is ignored.
            }
        }
    }

    private void serve(PeerSession p, int piece) {
        if (p.utMetadataId == 0) {
            throw new PeerProtocolException("ut_metadata request without announcing ut_metadata");
        }
        int pieces = info == null ? 0 : pieceCount(info.length);
        byte[] payload;
        if (piece >= pieces) {
            payload = MetadataMessage.reject(piece);
        } else {
            int off = piece * MetadataMessage.PIECE_SIZE;
            int len = Math.min(MetadataMessage.PIECE_SIZE, info.length - off);
            payload = MetadataMessage.data(piece, info.length, info, off, len);
        }
        p.send(WireEncoder.extended(p.utMetadataId, payload));
    }

    private void data(PeerSession p, MetadataMessage m) {
        int piece = m.piece();
        if (info != null || askedFrom == null || piece >= askedFrom.length
                || askedFrom[piece] != p) {
            return; // not asked (any more): late or unsolicited, ignore
        }
        int off = piece * MetadataMessage.PIECE_SIZE;
        int expected = Math.min(MetadataMessage.PIECE_SIZE, size - off);
        if (m.totalSize() != size || m.data().length != expected) {
            throw new PeerProtocolException("ut_metadata piece " + piece + " has "
                    + m.data().length + " bytes of " + m.totalSize() + ", expected " + expected
                    + " of " + size);
        }
        System.arraycopy(m.data(), 0, buffer, off, expected);
        askedFrom[piece] = null;
        source[piece] = p;
        received++;
        if (received == askedFrom.length) {
            complete();
        } else {
            request(p);
        }
    }

    private void rejected(PeerSession p, int piece) {
        if (askedFrom != null && piece < askedFrom.length && askedFrom[piece] == p) {
            askedFrom[piece] = null;
            p.metadataSize = -1; // it will not serve us: stop asking it
            requestFromAnyone();
        }
    }

    private void complete() {
        byte[] candidate = buffer;
        PeerSession[] sources = source;
        resetFetch();
        Info parsed = null;
        if (Arrays.equals(engine.sha1.digest(candidate, 0, candidate.length), engine.infoHashBytes)) {
            try {
                parsed = Info.parse(candidate);
            } catch (MetainfoException e) {
                // Matches the info-hash yet is invalid: the torrent itself is unusable.
                engine.listener.storageFailed("metadata of this info-hash is invalid", e);
                return;
            }
        }
        if (parsed == null) {
            for (PeerSession s : sources) {
                engine.ban(s, "sent metadata that does not match the info-hash");
            }
            requestFromAnyone();
            return;
        }
        info = candidate;
        engine.metadataFetched(parsed, candidate);
    }

    void peerGone(PeerSession p) {
        if (askedFrom != null) {
            for (int i = 0; i < askedFrom.length; i++) {
                if (askedFrom[i] == p) {
                    askedFrom[i] = null;
                }
            }
            requestFromAnyone();
        }
    }

    void tick(long now) {
        if (info != null || askedFrom == null) {
            return;
        }
        boolean freed = false;
        for (int i = 0; i < askedFrom.length; i++) {
            if (askedFrom[i] != null && now - askedAt[i] > engine.config.requestTimeoutMillis) {
                askedFrom[i] = null;
                freed = true;
            }
        }
        if (freed) {
            requestFromAnyone();
        }
    }

    private void requestFromAnyone() {
        for (PeerSession s : engine.sessions()) {
            request(s);
        }
    }

    /** Asks {@code p} for missing pieces, up to {@link #PER_PEER} at a time. */
    private void request(PeerSession p) {
        if (info != null || p.closed || p.utMetadataId == 0 || p.metadataSize <= 0) {
            return;
        }
        if (p.metadataSize > engine.config.maxMetadataSize) {
            return; // too large to trust; other peers may still serve it
        }
        if (size < 0) {
            size = (int) p.metadataSize;
            int n = pieceCount(size);
            buffer = new byte[size];
            askedFrom = new PeerSession[n];
            askedAt = new long[n];
            source = new PeerSession[n];
            received = 0;
        } else if (p.metadataSize != size) {
            return; // disagrees with the size we are fetching; one of them is wrong
        }
        int inFlight = 0;
        for (PeerSession s : askedFrom) {
            if (s == p) {
                inFlight++;
            }
        }
        for (int i = 0; i < askedFrom.length && inFlight < PER_PEER; i++) {
            if (askedFrom[i] == null && source[i] == null) {
                askedFrom[i] = p;
                askedAt[i] = engine.now;
                inFlight++;
                p.send(WireEncoder.extended(p.utMetadataId, MetadataMessage.request(i)));
            }
        }
    }

    private void resetFetch() {
        size = -1;
        buffer = null;
        askedFrom = null;
        askedAt = null;
        source = null;
        received = 0;
    }

    /** Our extended handshake: we receive ut_metadata as our id, and say what size we serve. */
    byte[] handshake() {
        return new ExtensionHandshake(ExtensionHandshake.UT_METADATA_ID, size(),
                engine.config.maxIncomingRequests, engine.config.clientName).encode();
    }

    private static int pieceCount(int bytes) {
        return (bytes + MetadataMessage.PIECE_SIZE - 1) / MetadataMessage.PIECE_SIZE;
    }
}
