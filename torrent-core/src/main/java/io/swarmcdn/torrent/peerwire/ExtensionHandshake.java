package io.swarmcdn.torrent.peerwire;

import io.swarmcdn.torrent.bencode.BDictionary;
import io.swarmcdn.torrent.bencode.BInteger;
import io.swarmcdn.torrent.bencode.BValue;
import io.swarmcdn.torrent.bencode.BencodeDecoder;
import io.swarmcdn.torrent.bencode.BencodeEncoder;
import io.swarmcdn.torrent.bencode.BencodeException;
import io.swarmcdn.torrent.bencode.BencodeLimits;

/**
 * The BEP 10 extended handshake (extended message id 0): the {@code m} dictionary maps extension
 * names to the message ids the <em>sender</em> wants to receive them with (0 disables), plus
 * optional {@code metadata_size} (BEP 9), {@code reqq} (how many requests the sender queues) and
 * {@code v} (client name). Only the keys we use are kept; the rest is ignored as BEP 10 asks.
 */
public final class ExtensionHandshake {

    /** Our id for incoming ut_metadata messages (the id space is ours to choose, BEP 10). */
    public static final int UT_METADATA_ID = 1;
    static final BencodeLimits LIMITS = new BencodeLimits(8, 64 * 1024, 16 * 1024, 2_000);

    private final int utMetadataId;
    private final long metadataSize;
    private final int requestQueue;
    private final String client;

    /**
     * @param utMetadataId the peer's id for ut_metadata, 0 if unsupported
     * @param metadataSize size of the info dictionary in bytes, -1 if not announced
     * @param requestQueue the peer's {@code reqq}, 0 if not announced
     * @param client the {@code v} string, or null
     */
    public ExtensionHandshake(int utMetadataId, long metadataSize, int requestQueue, String client) {
        this.utMetadataId = utMetadataId;
        this.metadataSize = metadataSize;
        this.requestQueue = requestQueue;
        this.client = client;
    }

    /** Parses a peer's handshake payload; malformed bencode or a bad value is a violation. */
    public static ExtensionHandshake parse(byte[] src, int offset, int length) {
        byte[] copy = new byte[length];
        System.arraycopy(src, offset, copy, 0, length);
        try {
            BValue v = BencodeDecoder.decode(copy, LIMITS);
            if (!(v instanceof BDictionary d)) {
                throw new PeerProtocolException("extended handshake is not a dictionary");
            }
            int ut = 0;
            BValue m = d.get("m");
            if (m instanceof BDictionary md && md.get("ut_metadata") instanceof BInteger id) {
                if (id.value() < 0 || id.value() > 255) {
                    throw new PeerProtocolException("ut_metadata id " + id.value() + " out of range");
                }
                ut = (int) id.value();
            }
            long size = -1;
            if (d.get("metadata_size") instanceof BInteger s) {
                if (s.value() <= 0) {
                    throw new PeerProtocolException("metadata_size " + s.value() + " is not positive");
                }
                size = s.value();
            }
            int reqq = 0;
            if (d.get("reqq") instanceof BInteger q && q.value() > 0) {
                reqq = (int) Math.min(q.value(), 100_000);
            }
            String client = d.get("v") != null && d.get("v") instanceof io.swarmcdn.torrent.bencode.BString s
                    ? s.asUtf8() : null;
            return new ExtensionHandshake(ut, size, reqq, client);
        } catch (BencodeException e) {
            throw new PeerProtocolException("malformed extended handshake: " + e.getMessage());
        }
    }

    public byte[] encode() {
        BDictionary.Builder m = BDictionary.builder();
        if (utMetadataId > 0) {
            m.put("ut_metadata", utMetadataId);
        }
        BDictionary.Builder d = BDictionary.builder().put("m", m.build());
        if (metadataSize > 0) {
            d.put("metadata_size", metadataSize);
        }
        if (requestQueue > 0) {
            d.put("reqq", requestQueue);
        }
        if (client != null) {
            d.put("v", client);
        }
        return BencodeEncoder.encode(d.build());
    }

    public int utMetadataId() {
        return utMetadataId;
    }

    public long metadataSize() {
        return metadataSize;
    }

    public int requestQueue() {
        return requestQueue;
    }

    public String client() {
        return client;
    }
}
