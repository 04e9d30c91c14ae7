package io.swarmcdn.torrent.peerwire;

/**
 * Incremental decoder of one peer's incoming byte stream: the 68-byte handshake, then
 * length-prefixed messages (BEP 3). Bytes arrive in chunks of any size: a message may be split
 * across many chunks and a chunk may hold many messages. A message that lies entirely inside one
 * chunk is handed to the {@link WireHandler} straight from the chunk (no copy); only a message
 * split across chunks is reassembled, in a buffer reused for messages up to a block's size.
 * Nothing is allocated per byte.
 *
 * <p>Every length prefix is checked against the caps <em>before</em> anything is allocated: a
 * peer can announce any 32-bit length. A {@code piece} carrying more than 16 KiB is a violation
 * (we never request more); bitfield and extended payloads have their own caps. Unknown message
 * ids are skipped without buffering (BEP 3: "unknown messages ... should be ignored"). Violations
 * throw {@link PeerProtocolException}; the decoder is then dead and ignores further input.
 */
public final class WireDecoder {

    /** Largest block a {@code piece} message may carry. */
    public static final int MAX_BLOCK = 16 * 1024;
    /** Messages up to this size are reassembled in the reusable buffer. */
    private static final int REUSED_BUFFER = 9 + MAX_BLOCK;

    private static final int HANDSHAKE = 0;
    private static final int LENGTH = 1;
    private static final int BODY = 2;
    private static final int SKIP = 3;
    private static final int DEAD = 4;

    private final WireHandler handler;
    private int maxBitfieldLength;
    private int maxExtendedLength;

    private int state;
    private final byte[] header = new byte[Handshake.LENGTH];
    private int headerFill;
    private int messageLength;
    private byte[] body;
    private byte[] reused;
    private int bodyFill;
    private int skipRemaining;

    /**
     * @param expectHandshake whether the stream starts with the 68-byte handshake
     * @param maxBitfieldLength largest accepted {@code bitfield} payload in bytes (from the piece
     *     count, or a bound derived from the metadata size while the piece count is unknown)
     * @param maxExtendedLength largest accepted BEP 10 payload in bytes
     */
    public WireDecoder(WireHandler handler, boolean expectHandshake, int maxBitfieldLength,
            int maxExtendedLength) {
        this.handler = handler;
        this.maxBitfieldLength = maxBitfieldLength;
        this.maxExtendedLength = maxExtendedLength;
        this.state = expectHandshake ? HANDSHAKE : LENGTH;
    }

    /** Updates the bitfield cap (e.g. once metadata fetched with BEP 9 tells the piece count). */
    public void setMaxBitfieldLength(int maxBitfieldLength) {
        this.maxBitfieldLength = maxBitfieldLength;
    }

    /** Stops decoding: the rest of the current chunk and later chunks are ignored. */
    public void stop() {
        state = DEAD;
        body = null;
        reused = null;
    }

    public boolean isStopped() {
        return state == DEAD;
    }

    /** Decodes {@code length} bytes of {@code src} from {@code offset}; keeps no reference to it. */
    public void feed(byte[] src, int offset, int length) {
        int pos = offset;
        int end = offset + length;
        try {
            while (pos < end) {
                switch (state) {
                    case HANDSHAKE -> pos = readHandshake(src, pos, end);
                    case LENGTH -> pos = readLength(src, pos, end);
                    case BODY -> pos = readBody(src, pos, end);
                    case SKIP -> {
                        int n = Math.min(skipRemaining, end - pos);
                        pos += n;
                        skipRemaining -= n;
                        if (skipRemaining == 0) {
                            state = LENGTH;
                        }
                    }
                    default -> {
                        return;
                    }
                }
            }
        } catch (PeerProtocolException e) {
            stop();
            throw e;
        }
    }

    private int readHandshake(byte[] src, int pos, int end) {
        int n = Math.min(Handshake.LENGTH - headerFill, end - pos);
        System.arraycopy(src, pos, header, headerFill, n);
        headerFill += n;
        pos += n;
        if (headerFill == 1 && header[0] != 19) {
            // Fail on the first byte rather than wait for 68 bytes of something else.
            Handshake.parse(header, 0);
        }
        if (headerFill == Handshake.LENGTH) {
            headerFill = 0;
            state = LENGTH;
            handler.onHandshake(Handshake.parse(header, 0));
        }
        return pos;
    }

    private int readLength(byte[] src, int pos, int end) {
        int len;
        if (headerFill == 0 && end - pos >= 4) {
            len = readInt(src, pos);
            pos += 4;
        } else {
            int n = Math.min(4 - headerFill, end - pos);
            System.arraycopy(src, pos, header, headerFill, n);
            headerFill += n;
            pos += n;
            if (headerFill < 4) {
                return pos;
            }
            headerFill = 0;
            len = readInt(header, 0);
        }
        if (len == 0) {
            handler.onKeepAlive();
            return pos;
        }
        if (len < 0 || len > maxMessageLength()) {
            throw new PeerProtocolException("message length " + (len & 0xffffffffL)
                    + " exceeds the cap of " + maxMessageLength());
        }
        messageLength = len;
        if (end - pos >= len) {
            // The whole message is in this chunk: decode it in place.
            checkIdAndLength(src[pos] & 0xff, len);
            dispatch(src, pos, len);
            return pos + len;
        }
        if (pos == end) {
            // Id not seen yet: reassemble, checked when complete (the cap already bounds it).
            startBody(len);
            return pos;
        }
        int id = src[pos] & 0xff;
        if (!isKnown(id)) {
            skipRemaining = len;
            state = SKIP;
            return pos;
        }
        checkIdAndLength(id, len);
        startBody(len);
        return pos;
    }

    private void startBody(int len) {
        if (len <= REUSED_BUFFER) {
            if (reused == null) {
                reused = new byte[REUSED_BUFFER];
            }
            body = reused;
        } else {
            body = new byte[len];
        }
        bodyFill = 0;
        state = BODY;
    }

    private int readBody(byte[] src, int pos, int end) {
        int n = Math.min(messageLength - bodyFill, end - pos);
        System.arraycopy(src, pos, body, bodyFill, n);
        bodyFill += n;
        pos += n;
        if (bodyFill == messageLength) {
            byte[] b = body;
            body = null;
            state = LENGTH;
            checkIdAndLength(b[0] & 0xff, messageLength);
            dispatch(b, 0, messageLength);
        }
        return pos;
    }

    private int maxMessageLength() {
        return Math.max(REUSED_BUFFER, Math.max(1 + maxBitfieldLength, 2 + maxExtendedLength));
    }

    private static boolean isKnown(int id) {
        return id <= MessageId.CANCEL || (id >= MessageId.SUGGEST_PIECE && id <= MessageId.ALLOWED_FAST)
                || id == MessageId.EXTENDED;
    }

    /** Fixed sizes from BEP 3 / BEP 6; variable ones against their caps. */
    private void checkIdAndLength(int id, int len) {
        switch (id) {
            case MessageId.CHOKE, MessageId.UNCHOKE, MessageId.INTERESTED, MessageId.NOT_INTERESTED,
                    MessageId.HAVE_ALL, MessageId.HAVE_NONE -> expect(id, len, 1);
            case MessageId.HAVE, MessageId.SUGGEST_PIECE, MessageId.ALLOWED_FAST -> expect(id, len, 5);
            case MessageId.REQUEST, MessageId.CANCEL, MessageId.REJECT_REQUEST -> expect(id, len, 13);
            case MessageId.PIECE -> {
                if (len < 10 || len > 9 + MAX_BLOCK) {
                    throw new PeerProtocolException("piece message carries " + (len - 9)
                            + " bytes, allowed 1.." + MAX_BLOCK);
                }
            }
            case MessageId.BITFIELD -> {
                if (len - 1 > maxBitfieldLength) {
                    throw new PeerProtocolException("bitfield of " + (len - 1)
                            + " bytes exceeds the cap of " + maxBitfieldLength);
                }
            }
            case MessageId.EXTENDED -> {
                if (len < 2 || len - 2 > maxExtendedLength) {
                    throw new PeerProtocolException("extended message of " + (len - 2)
                            + " bytes, allowed 0.." + maxExtendedLength);
                }
            }
            default -> {
                // Unknown ids (e.g. BEP 5 port) are ignored.
            }
        }
    }

    private static void expect(int id, int len, int expected) {
        if (len != expected) {
            throw new PeerProtocolException("message id " + id + " has length " + len
                    + ", expected " + expected);
        }
    }

    private void dispatch(byte[] b, int o, int len) {
        int id = b[o] & 0xff;
        switch (id) {
            case MessageId.CHOKE -> handler.onChoke();
            case MessageId.UNCHOKE -> handler.onUnchoke();
            case MessageId.INTERESTED -> handler.onInterested();
            case MessageId.NOT_INTERESTED -> handler.onNotInterested();
            case MessageId.HAVE -> handler.onHave(index(b, o + 1));
            case MessageId.BITFIELD -> handler.onBitfield(b, o + 1, len - 1);
            case MessageId.REQUEST -> handler.onRequest(index(b, o + 1), nonNegative(b, o + 5),
                    nonNegative(b, o + 9));
            case MessageId.PIECE -> handler.onPiece(index(b, o + 1), nonNegative(b, o + 5), b, o + 9,
                    len - 9);
            case MessageId.CANCEL -> handler.onCancel(index(b, o + 1), nonNegative(b, o + 5),
                    nonNegative(b, o + 9));
            case MessageId.SUGGEST_PIECE -> handler.onSuggest(index(b, o + 1));
            case MessageId.HAVE_ALL -> handler.onHaveAll();
            case MessageId.HAVE_NONE -> handler.onHaveNone();
            case MessageId.REJECT_REQUEST -> handler.onReject(index(b, o + 1), nonNegative(b, o + 5),
                    nonNegative(b, o + 9));
            case MessageId.ALLOWED_FAST -> handler.onAllowedFast(index(b, o + 1));
            case MessageId.EXTENDED -> handler.onExtended(b[o + 1] & 0xff, b, o + 2, len - 2);
            default -> {
                // unknown id that arrived whole in one chunk: ignored
            }
        }
    }

    private static int index(byte[] b, int o) {
        int v = readInt(b, o);
        if (v < 0) {
            throw new PeerProtocolException("piece index " + (v & 0xffffffffL)
                    + " out of range");
        }
        return v;
    }

    private static int nonNegative(byte[] b, int o) {
        int v = readInt(b, o);
        if (v < 0) {
            throw new PeerProtocolException("offset or length " + (v & 0xffffffffL)
                    + " out of range");
        }
        return v;
    }

    static int readInt(byte[] b, int o) {
        return ((b[o] & 0xff) << 24) | ((b[o + 1] & 0xff) << 16) | ((b[o + 2] & 0xff) << 8)
                | (b[o + 3] & 0xff);
    }
}
