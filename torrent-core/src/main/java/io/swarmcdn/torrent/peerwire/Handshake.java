package io.swarmcdn.torrent.peerwire;

/**
 * The 68-byte BEP 3 handshake: {@code 19 "BitTorrent protocol"}, 8 reserved bytes, the 20-byte
 * info-hash and the 20-byte peer id. Reserved bits we use: byte 5 {@code 0x10} announces the
 * BEP 10 extension protocol, byte 7 {@code 0x04} the BEP 6 Fast extension; an extension is used
 * only when both sides set its bit.
 */
public final class Handshake {

    public static final int LENGTH = 68;
    static final String PROTOCOL = "BitTorrent protocol";

    private final byte[] reserved;
    private final byte[] infoHash;
    private final byte[] peerId;

    public Handshake(byte[] reserved, byte[] infoHash, byte[] peerId) {
        if (reserved.length != 8 || infoHash.length != 20 || peerId.length != 20) {
            throw new IllegalArgumentException("handshake needs 8 reserved, 20 hash, 20 id bytes");
        }
        this.reserved = reserved.clone();
        this.infoHash = infoHash.clone();
        this.peerId = peerId.clone();
    }

    /** Our reserved bytes for the given extensions. */
    public static byte[] reserved(boolean extensionProtocol, boolean fast) {
        byte[] r = new byte[8];
        if (extensionProtocol) {
            r[5] |= 0x10;
        }
        if (fast) {
            r[7] |= 0x04;
        }
        return r;
    }

    /** Parses 68 bytes at {@code offset}; a wrong protocol string is a violation. */
    static Handshake parse(byte[] src, int offset) {
        if (src[offset] != 19) {
            throw new PeerProtocolException("handshake protocol length is " + (src[offset] & 0xff)
                    + ", not 19");
        }
        for (int i = 0; i < 19; i++) {
            if (src[offset + 1 + i] != PROTOCOL.charAt(i)) {
                throw new PeerProtocolException("handshake protocol is not 'BitTorrent protocol'");
            }
        }
        byte[] reserved = new byte[8];
        byte[] hash = new byte[20];
        byte[] id = new byte[20];
        System.arraycopy(src, offset + 20, reserved, 0, 8);
        System.arraycopy(src, offset + 28, hash, 0, 20);
        System.arraycopy(src, offset + 48, id, 0, 20);
        return new Handshake(reserved, hash, id);
    }

    public byte[] encode() {
        byte[] out = new byte[LENGTH];
        out[0] = 19;
        for (int i = 0; i < 19; i++) {
            out[1 + i] = (byte) PROTOCOL.charAt(i);
        }
        System.arraycopy(reserved, 0, out, 20, 8);
        System.arraycopy(infoHash, 0, out, 28, 20);
        System.arraycopy(peerId, 0, out, 48, 20);
        return out;
    }

    public boolean supportsExtensionProtocol() {
        return (reserved[5] & 0x10) != 0;
    }

    public boolean supportsFast() {
        return (reserved[7] & 0x04) != 0;
    }

    public byte[] infoHash() {
        return infoHash.clone();
    }

    public byte[] peerId() {
        return peerId.clone();
    }

    /** Whether the info-hash equals {@code hash} (no copy). */
    public boolean infoHashEquals(byte[] hash) {
        return java.util.Arrays.equals(infoHash, hash);
    }
}
