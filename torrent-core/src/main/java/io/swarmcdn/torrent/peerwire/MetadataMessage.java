package io.swarmcdn.torrent.peerwire;

import io.swarmcdn.torrent.bencode.BDictionary;
import io.swarmcdn.torrent.bencode.BInteger;
import io.swarmcdn.torrent.bencode.BValue;
import io.swarmcdn.torrent.bencode.BencodeDecoder;
import io.swarmcdn.torrent.bencode.BencodeEncoder;
import io.swarmcdn.torrent.bencode.BencodeException;

/**
 * A BEP 9 ut_metadata message: a bencoded dictionary {@code msg_type} (0 request, 1 data,
 * 2 reject), {@code piece} (16 KiB pieces of the info dictionary) and, for data,
 * {@code total_size}; a data message carries the piece's raw bytes right after the dictionary.
 */
public final class MetadataMessage {

    public static final int REQUEST = 0;
    public static final int DATA = 1;
    public static final int REJECT = 2;
    /** BEP 9: metadata is sent in pieces of 16 KiB (the last one shorter). */
    public static final int PIECE_SIZE = 16 * 1024;

    private final int type;
    private final int piece;
    private final long totalSize;
    private final byte[] data;

    private MetadataMessage(int type, int piece, long totalSize, byte[] data) {
        this.type = type;
        this.piece = piece;
        this.totalSize = totalSize;
        this.data = data;
    }

    /** Parses an extended payload; data bytes are copied (at most 16 KiB). */
    public static MetadataMessage parse(byte[] src, int offset, int length) {
        byte[] copy = new byte[length];
        System.arraycopy(src, offset, copy, 0, length);
        try {
            BencodeDecoder.Prefix p = BencodeDecoder.decodePrefix(copy, 0, ExtensionHandshake.LIMITS);
            if (!(p.value() instanceof BDictionary d)) {
                throw new PeerProtocolException("ut_metadata message is not a dictionary");
            }
            int type = smallInt(d.get("msg_type"), "msg_type");
            int piece = smallInt(d.get("piece"), "piece");
            if (type == DATA) {
                BValue ts = d.get("total_size");
                long total = ts instanceof BInteger t ? t.value() : -1;
                int n = length - p.end();
                if (n > PIECE_SIZE) {
                    throw new PeerProtocolException("ut_metadata piece of " + n + " bytes");
                }
                byte[] data = new byte[n];
                System.arraycopy(copy, p.end(), data, 0, n);
                return new MetadataMessage(type, piece, total, data);
            }
            if (p.end() != length) {
                throw new PeerProtocolException("trailing bytes after ut_metadata message");
            }
            return new MetadataMessage(type, piece, -1, null);
        } catch (BencodeException e) {
            throw new PeerProtocolException("malformed ut_metadata message: " + e.getMessage());
        }
    }

    private static int smallInt(BValue v, String key) {
        if (!(v instanceof BInteger i) || i.value() < 0 || i.value() > Integer.MAX_VALUE) {
            throw new PeerProtocolException("ut_metadata message has a bad '" + key + "'");
        }
        return (int) i.value();
    }

    public static byte[] request(int piece) {
        return BencodeEncoder.encode(BDictionary.builder().put("msg_type", REQUEST)
                .put("piece", piece).build());
    }

    public static byte[] reject(int piece) {
        return BencodeEncoder.encode(BDictionary.builder().put("msg_type", REJECT)
                .put("piece", piece).build());
    }

    /** A data message: the dictionary followed by {@code length} bytes of the info dictionary. */
    public static byte[] data(int piece, int totalSize, byte[] info, int offset, int length) {
        byte[] dict = BencodeEncoder.encode(BDictionary.builder().put("msg_type", DATA)
                .put("piece", piece).put("total_size", totalSize).build());
        byte[] out = new byte[dict.length + length];
        System.arraycopy(dict, 0, out, 0, dict.length);
        System.arraycopy(info, offset, out, dict.length, length);
        return out;
    }

    public int type() {
        return type;
    }

    public int piece() {
        return piece;
    }

    public long totalSize() {
        return totalSize;
    }

    /** The piece bytes of a data message, or null. */
    public byte[] data() {
        return data;
    }
}
