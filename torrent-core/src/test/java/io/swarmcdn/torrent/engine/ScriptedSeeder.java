package io.swarmcdn.torrent.engine;

import io.swarmcdn.torrent.peerwire.MessageId;
import io.swarmcdn.torrent.peerwire.WireEncoder;
import java.util.List;

/** Answers a {@link RawPeer}'s received requests with blocks of the content (or corrupt ones). */
final class ScriptedSeeder {

    private final RawPeer raw;
    private final byte[] content;
    private final int pieceLength;
    private int next;

    ScriptedSeeder(RawPeer raw, byte[] content, int pieceLength) {
        this.raw = raw;
        this.content = content;
        this.pieceLength = pieceLength;
    }

    /**
     * Answers every request received since the last call (not those its answers trigger);
     * returns how many.
     */
    int answerAll(boolean corrupt) {
        int n = 0;
        List<String> events = raw.received.events;
        int end = events.size();
        while (next < end) {
            String e = events.get(next++);
            if (e.startsWith("request ")) {
                String[] f = e.split(" ");
                answer(Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]), corrupt);
                n++;
            }
        }
        return n;
    }

    /** Answers one request (whether or not it is still outstanding). */
    void answer(int piece, int begin, int length, boolean corrupt) {
        byte[] m = new byte[WireEncoder.PIECE_HEADER_LENGTH + length];
        WireEncoder.writePieceHeader(m, 0, piece, begin, length);
        System.arraycopy(content, piece * pieceLength + begin, m, WireEncoder.PIECE_HEADER_LENGTH,
                length);
        if (corrupt) {
            m[WireEncoder.PIECE_HEADER_LENGTH] ^= 0x55;
        }
        raw.write(m);
    }

    /** Skips requests received so far without answering them. */
    void ignorePending() {
        next = raw.received.events.size();
    }

    static byte[] haveAllUnchoke() {
        byte[] a = WireEncoder.simple(MessageId.HAVE_ALL);
        byte[] b = WireEncoder.simple(MessageId.UNCHOKE);
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
