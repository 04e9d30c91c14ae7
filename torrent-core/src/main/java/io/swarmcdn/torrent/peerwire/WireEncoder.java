package io.swarmcdn.torrent.peerwire;

/**
 * Encodes outgoing messages (BEP 3, BEP 6, BEP 10). Each method returns a fresh array, or writes
 * into a caller's array at an offset so that several small messages (a batch of requests) go out
 * in one {@code send}.
 */
public final class WireEncoder {

    public static final int KEEP_ALIVE_LENGTH = 4;
    /** Size of a request, cancel or reject message. */
    public static final int REQUEST_LENGTH = 17;
    /** Bytes of a {@code piece} message before the block. */
    public static final int PIECE_HEADER_LENGTH = 13;

    private WireEncoder() {
    }

    public static byte[] keepAlive() {
        return new byte[4];
    }

    /** A message without payload: choke, unchoke, interested, not interested, have all/none. */
    public static byte[] simple(int id) {
        byte[] out = new byte[5];
        writeInt(out, 0, 1);
        out[4] = (byte) id;
        return out;
    }

    /** have, suggest piece or allowed fast: one piece index. */
    public static byte[] pieceIndex(int id, int piece) {
        byte[] out = new byte[9];
        writeInt(out, 0, 5);
        out[4] = (byte) id;
        writeInt(out, 5, piece);
        return out;
    }

    public static byte[] bitfield(Bitfield bits) {
        int n = Bitfield.byteLength(bits.size());
        byte[] out = new byte[5 + n];
        writeInt(out, 0, 1 + n);
        out[4] = MessageId.BITFIELD;
        bits.writeTo(out, 5);
        return out;
    }

    /** Writes a request, cancel or reject ({@code id}) at {@code offset}: 17 bytes. */
    public static void writeRequest(byte[] dst, int offset, int id, int piece, int begin,
            int length) {
        writeInt(dst, offset, 13);
        dst[offset + 4] = (byte) id;
        writeInt(dst, offset + 5, piece);
        writeInt(dst, offset + 9, begin);
        writeInt(dst, offset + 13, length);
    }

    public static byte[] request(int id, int piece, int begin, int length) {
        byte[] out = new byte[REQUEST_LENGTH];
        writeRequest(out, 0, id, piece, begin, length);
        return out;
    }

    /**
     * Writes the 13-byte header of a {@code piece} message carrying {@code blockLength} bytes;
     * the block itself goes right after it (read from storage into the same array).
     */
    public static void writePieceHeader(byte[] dst, int offset, int piece, int begin,
            int blockLength) {
        writeInt(dst, offset, 9 + blockLength);
        dst[offset + 4] = MessageId.PIECE;
        writeInt(dst, offset + 5, piece);
        writeInt(dst, offset + 9, begin);
    }

    /** BEP 10 extended message with the given payload. */
    public static byte[] extended(int extendedId, byte[] payload) {
        byte[] out = new byte[6 + payload.length];
        writeInt(out, 0, 2 + payload.length);
        out[4] = MessageId.EXTENDED;
        out[5] = (byte) extendedId;
        System.arraycopy(payload, 0, out, 6, payload.length);
        return out;
    }

    static void writeInt(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 24);
        b[o + 1] = (byte) (v >>> 16);
        b[o + 2] = (byte) (v >>> 8);
        b[o + 3] = (byte) v;
    }
}
