package io.swarmcdn.torrent.peerwire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class WireDecoderTest {

    private static final byte[] HASH = filled(20, 0x11);
    private static final byte[] ID = "-XX0001-abcdefghijkl".getBytes();

    private static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) v);
        return b;
    }

    /** A stream with every message type, including an unknown id and a full 16 KiB block. */
    private static byte[] everyMessage() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new Handshake(Handshake.reserved(true, true), HASH, ID).encode());
        Bitfield bits = new Bitfield(10);
        bits.set(0);
        bits.set(9);
        out.writeBytes(WireEncoder.bitfield(bits));
        out.writeBytes(WireEncoder.keepAlive());
        out.writeBytes(WireEncoder.simple(MessageId.CHOKE));
        out.writeBytes(WireEncoder.simple(MessageId.UNCHOKE));
        out.writeBytes(WireEncoder.simple(MessageId.INTERESTED));
        out.writeBytes(WireEncoder.simple(MessageId.NOT_INTERESTED));
        out.writeBytes(WireEncoder.pieceIndex(MessageId.HAVE, 7));
        out.writeBytes(WireEncoder.request(MessageId.REQUEST, 3, 16384, 16384));
        byte[] piece = new byte[WireEncoder.PIECE_HEADER_LENGTH + 16384];
        WireEncoder.writePieceHeader(piece, 0, 3, 16384, 16384);
        piece[WireEncoder.PIECE_HEADER_LENGTH + 100] = 42;
        out.writeBytes(piece);
        out.writeBytes(WireEncoder.request(MessageId.CANCEL, 3, 0, 16384));
        // Unknown id 99 with a payload: skipped.
        out.writeBytes(new byte[] {0, 0, 0, 4, 99, 1, 2, 3});
        out.writeBytes(new byte[] {0, 0, 0, 3, MessageId.PORT, 0x1a, (byte) 0xe1});
        out.writeBytes(WireEncoder.pieceIndex(MessageId.SUGGEST_PIECE, 2));
        out.writeBytes(WireEncoder.simple(MessageId.HAVE_ALL));
        out.writeBytes(WireEncoder.simple(MessageId.HAVE_NONE));
        out.writeBytes(WireEncoder.request(MessageId.REJECT_REQUEST, 1, 0, 100));
        out.writeBytes(WireEncoder.pieceIndex(MessageId.ALLOWED_FAST, 4));
        out.writeBytes(WireEncoder.extended(0, "d1:md11:ut_metadatai1eee".getBytes()));
        return out.toByteArray();
    }

    private static final List<String> EXPECTED = List.of(
            "handshake fast=true ext=true id=-XX0001-abcdefghijkl",
            "bitfield 8040", "keep-alive", "choke", "unchoke", "interested", "not interested",
            "have 7", "request 3 16384 16384", "piece 3 16384 16384", "cancel 3 0 16384",
            "suggest 2", "have all", "have none", "reject 1 0 100", "allowed fast 4",
            "extended 0 24");

    private static RecordingHandler decodeInChunks(byte[] stream, int... cuts) {
        RecordingHandler h = new RecordingHandler();
        WireDecoder d = new WireDecoder(h, true, 100, 1024);
        int from = 0;
        for (int cut : cuts) {
            d.feed(stream, from, cut - from);
            from = cut;
        }
        d.feed(stream, from, stream.length - from);
        return h;
    }

    @Test
    void decodesEveryMessageInOneChunk() {
        RecordingHandler h = decodeInChunks(everyMessage());
        assertThat(h.events).isEqualTo(EXPECTED);
        assertThat(h.blocks.get(0)[100]).isEqualTo((byte) 42);
    }

    @Test
    void decodesTheSameAtEverySplitPoint() {
        byte[] stream = everyMessage();
        for (int cut = 0; cut <= stream.length; cut++) {
            RecordingHandler h = decodeInChunks(stream, cut);
            assertThat(h.events).as("split at %d", cut).isEqualTo(EXPECTED);
            assertThat(h.blocks.get(0)[100]).isEqualTo((byte) 42);
        }
    }

    @Test
    void decodesTheSameByteByByteAndInTwoCuts() {
        byte[] stream = everyMessage();
        int[] cuts = new int[stream.length];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i;
        }
        assertThat(decodeInChunks(stream, cuts).events).isEqualTo(EXPECTED);
        for (int a = 0; a < stream.length; a += 331) {
            for (int b = a; b < stream.length; b += 157) {
                assertThat(decodeInChunks(stream, a, b).events).isEqualTo(EXPECTED);
            }
        }
    }

    @Test
    void hugeLengthPrefixClosesBeforeAnyBodyArrives() {
        byte[] hs = new Handshake(new byte[8], HASH, ID).encode();
        RecordingHandler h = new RecordingHandler();
        WireDecoder d = new WireDecoder(h, true, 100, 1024);
        d.feed(hs, 0, hs.length);
        // 2 GiB - 1 announced: rejected from the 4 length bytes alone, nothing allocated for it.
        assertThatThrownBy(() -> d.feed(new byte[] {0x7f, -1, -1, -1}, 0, 4))
                .isInstanceOf(PeerProtocolException.class)
                .hasMessageContaining("exceeds the cap");
        assertThat(d.isStopped()).isTrue();
        // A dead decoder ignores anything more.
        byte[] have = WireEncoder.pieceIndex(MessageId.HAVE, 1);
        d.feed(have, 0, have.length);
        assertThat(h.events).hasSize(1);
    }

    @Test
    void negativeLengthPrefixIsAViolation() {
        WireDecoder d = new WireDecoder(new RecordingHandler(), false, 100, 1024);
        assertThatThrownBy(() -> d.feed(new byte[] {-1, -1, -1, -1}, 0, 4))
                .isInstanceOf(PeerProtocolException.class).hasMessageContaining("4294967295");
    }

    @Test
    void pieceLargerThan16KiBIsAViolationAsSoonAsItsIdArrives() {
        WireDecoder d = new WireDecoder(new RecordingHandler(), false, 100 * 1024, 1024);
        byte[] header = new byte[5];
        WireEncoder.writeInt(header, 0, 9 + 16384 + 1);
        header[4] = MessageId.PIECE;
        assertThatThrownBy(() -> d.feed(header, 0, 5))
                .isInstanceOf(PeerProtocolException.class).hasMessageContaining("16385");
    }

    @Test
    void fixedSizeMessagesWithAnotherSizeAreViolations() {
        WireDecoder d = new WireDecoder(new RecordingHandler(), false, 100, 1024);
        byte[] have = {0, 0, 0, 6, MessageId.HAVE, 0, 0, 0, 1, 0};
        assertThatThrownBy(() -> d.feed(have, 0, have.length))
                .isInstanceOf(PeerProtocolException.class).hasMessageContaining("expected 5");
    }

    @Test
    void bitfieldAndExtendedPayloadsHaveTheirOwnCaps() {
        WireDecoder d = new WireDecoder(new RecordingHandler(), false, 2, 1024);
        byte[] bits = {0, 0, 0, 4, MessageId.BITFIELD, 1, 2, 3};
        assertThatThrownBy(() -> d.feed(bits, 0, bits.length))
                .isInstanceOf(PeerProtocolException.class).hasMessageContaining("bitfield of 3");
        WireDecoder e = new WireDecoder(new RecordingHandler(), false, 2, 10);
        byte[] ext = WireEncoder.extended(0, new byte[11]);
        assertThatThrownBy(() -> e.feed(ext, 0, 5))
                .isInstanceOf(PeerProtocolException.class).hasMessageContaining("extended");
    }

    @Test
    void wrongProtocolStringFailsOnTheFirstByte() {
        WireDecoder d = new WireDecoder(new RecordingHandler(), true, 100, 1024);
        byte[] http = "GET / HTTP/1.1\r\n".getBytes();
        assertThatThrownBy(() -> d.feed(http, 0, 1))
                .isInstanceOf(PeerProtocolException.class).hasMessageContaining("not 19");
    }

    @Test
    void negativePieceIndexIsAViolation() {
        WireDecoder d = new WireDecoder(new RecordingHandler(), false, 100, 1024);
        byte[] have = WireEncoder.pieceIndex(MessageId.HAVE, -5);
        assertThatThrownBy(() -> d.feed(have, 0, have.length))
                .isInstanceOf(PeerProtocolException.class).hasMessageContaining("out of range");
    }

    @Test
    void handlerExceptionStopsDecodingTheRestOfTheChunk() {
        RecordingHandler h = new RecordingHandler();
        h.failOnHave = true;
        WireDecoder d = new WireDecoder(h, false, 100, 1024);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(WireEncoder.pieceIndex(MessageId.HAVE, 1));
        out.writeBytes(WireEncoder.pieceIndex(MessageId.HAVE, 2));
        byte[] two = out.toByteArray();
        assertThatThrownBy(() -> d.feed(two, 0, two.length)).hasMessage("no haves here");
        assertThat(h.events).containsExactly("have 1");
    }
}
