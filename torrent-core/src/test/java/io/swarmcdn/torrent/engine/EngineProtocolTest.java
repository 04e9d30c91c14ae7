package io.swarmcdn.torrent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmcdn.torrent.peerwire.Bitfield;
import io.swarmcdn.torrent.peerwire.ExtensionHandshake;
import io.swarmcdn.torrent.peerwire.MessageId;
import io.swarmcdn.torrent.peerwire.MetadataMessage;
import io.swarmcdn.torrent.peerwire.WireEncoder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One engine against scripted peers: negotiation, validation, and violations. */
@Timeout(10)
class EngineProtocolTest {

    private final TestTorrent torrent = new TestTorrent(5 * 32 * 1024 + 100, 32 * 1024, 3);
    private final byte[] hash = torrent.metainfo.infoHash().bytes();
    private final ManualClock clock = new ManualClock();

    private Swarms.Node seed() {
        return new Swarms.Node(torrent, true, false, clock, EngineConfig.DEFAULT);
    }

    private Swarms.Node leech() {
        return new Swarms.Node(torrent, false, false, clock, EngineConfig.DEFAULT);
    }

    @Test
    void sendsItsHandshakeWithFastAndExtensionBits() {
        RawPeer raw = new RawPeer(seed().engine, "a");
        assertThat(raw.received.events.get(0)).startsWith("handshake fast=true ext=true id=-SW0010-");
    }

    @Test
    void fastPeerGetsHaveAllFromASeedAndHaveNoneFromAnEmptyPeer() {
        RawPeer toSeed = new RawPeer(seed().engine, "a").handshake(hash, true, false);
        assertThat(toSeed.received.events).containsSequence("have all");
        RawPeer toLeech = new RawPeer(leech().engine, "b").handshake(hash, true, false);
        assertThat(toLeech.received.events).containsSequence("have none");
    }

    @Test
    void peerWithoutFastGetsABitfieldAndIsClosedForFastMessages() {
        Swarms.Node seed = seed();
        RawPeer raw = new RawPeer(seed.engine, "a").handshake(hash, false, false);
        assertThat(raw.received.events).contains("bitfield fc").doesNotContain("have all");
        raw.write(WireEncoder.simple(MessageId.HAVE_NONE));
        assertThat(raw.closed).isTrue();
        assertThat(raw.closeReason).isEqualTo("have none without the Fast extension negotiated");
        assertThat(seed.events.closes).containsExactly("a: " + raw.closeReason);
    }

    @Test
    void wrongInfoHashClosesWithAReason() {
        byte[] other = hash.clone();
        other[0] ^= 1;
        RawPeer raw = new RawPeer(seed().engine, "a").handshake(other, true, true);
        assertThat(raw.closeReason).isEqualTo("handshake for another torrent");
    }

    @Test
    void aViolationClosesOnlyThatPeer() {
        Swarms.Node seed = seed();
        RawPeer bad = new RawPeer(seed.engine, "bad").handshake(hash, true, false);
        RawPeer good = new RawPeer(seed.engine, "good").handshake(hash, true, false);
        bad.write(new byte[] {0x7f, 0, 0, 0});
        assertThat(bad.closed).isTrue();
        assertThat(bad.closeReason).contains("exceeds the cap");
        assertThat(good.closed).isFalse();
        good.write(WireEncoder.simple(MessageId.INTERESTED),
                WireEncoder.request(MessageId.REQUEST, 0, 0, 16384));
        assertThat(good.received.events).contains("unchoke", "piece 0 0 16384");
        assertThat(good.received.blocks.get(0)).isEqualTo(Arrays.copyOf(torrent.content, 16384));
        assertThat(seed.engine.peers()).containsExactly(good.handle);
    }

    @Test
    void requestsBeyondTheRulesAreRejectedOrClose() {
        Swarms.Node seed = seed();
        RawPeer raw = new RawPeer(seed.engine, "a").handshake(hash, true, false);
        // Choked: rejected (BEP 6).
        raw.write(WireEncoder.request(MessageId.REQUEST, 0, 0, 16384));
        assertThat(raw.received.events).contains("reject 0 0 16384");
        raw.write(WireEncoder.simple(MessageId.INTERESTED));
        // Larger than 16 KiB: rejected, never served.
        raw.write(WireEncoder.request(MessageId.REQUEST, 0, 0, 32768));
        assertThat(raw.received.events).contains("reject 0 0 32768");
        assertThat(raw.received.blocks).isEmpty();
        // The last piece is 100 bytes: a request past its end is a violation.
        raw.write(WireEncoder.request(MessageId.REQUEST, 5, 0, 16384));
        assertThat(raw.closeReason).isEqualTo("request [0, +16384) beyond the end of piece 5");
    }

    @Test
    void cancelledQueuedRequestIsRejectedUnderFast() {
        Swarms.Node seed = seed();
        // A link that reports a full buffer, so requests stay queued.
        RawPeer raw = new RawPeer(seed.engine, "a");
        raw.buffered = Long.MAX_VALUE;
        raw.handshake(hash, true, false);
        raw.write(WireEncoder.simple(MessageId.INTERESTED),
                WireEncoder.request(MessageId.REQUEST, 1, 0, 16384),
                WireEncoder.request(MessageId.CANCEL, 1, 0, 16384));
        assertThat(raw.received.events).contains("reject 1 0 16384");
        assertThat(raw.received.blocks).isEmpty();
    }

    @Test
    void bitfieldWithSpareBitsIsAViolation() {
        RawPeer spare = new RawPeer(leech().engine, "a").handshake(hash, false, false);
        spare.write(new byte[] {0, 0, 0, 2, MessageId.BITFIELD, (byte) 0xff});
        assertThat(spare.closeReason).isEqualTo("bitfield has spare bits set");
    }

    /** aria2c 1.36 sends have none, a have, then a bitfield in place of more haves. */
    @Test
    void aria2cLateBitfieldAddsHavesInsteadOfClosing() {
        Swarms.Node leech = leech();
        RawPeer late = new RawPeer(leech.engine, "b").handshake(hash, false, false);
        Bitfield later = new Bitfield(6);
        later.set(3);
        later.set(4);
        late.write(WireEncoder.pieceIndex(MessageId.HAVE, 1), WireEncoder.bitfield(later));
        assertThat(late.closeReason).isNull();
        PeerSession session = (PeerSession) leech.engine.peers().get(0);
        assertThat(session.pieces().get(1)).isTrue();
        assertThat(session.pieces().get(3)).isTrue();
        assertThat(session.pieces().get(4)).isTrue();
        assertThat(session.pieces().cardinality()).isEqualTo(3);
    }

    @Test
    void leecherBecomesInterestedAndRequestsWhenUnchoked() {
        Swarms.Node leech = leech();
        RawPeer raw = new RawPeer(leech.engine, "a").handshake(hash, true, false);
        raw.write(WireEncoder.simple(MessageId.HAVE_ALL));
        assertThat(raw.received.events).contains("interested");
        assertThat(raw.received.events).noneMatch(e -> e.startsWith("request"));
        raw.write(WireEncoder.simple(MessageId.UNCHOKE));
        long requests = raw.received.events.stream().filter(e -> e.startsWith("request")).count();
        // The whole torrent is 11 blocks, fewer than the minimum pipeline of 16.
        assertThat(requests).isEqualTo(11);
    }

    @Test
    void allowedFastPiecesAreRequestedWhileChoked() {
        Swarms.Node leech = leech();
        RawPeer raw = new RawPeer(leech.engine, "a").handshake(hash, true, false);
        raw.write(WireEncoder.simple(MessageId.HAVE_ALL), WireEncoder.pieceIndex(MessageId.ALLOWED_FAST, 2));
        assertThat(raw.received.events).contains("request 2 0 16384", "request 2 16384 16384");
        assertThat(raw.received.events.stream().filter(e -> e.startsWith("request")).count())
                .isEqualTo(2);
    }

    @Test
    void rejectedRequestIsGivenBackToThePicker() {
        Swarms.Node leech = leech();
        RawPeer a = new RawPeer(leech.engine, "a").handshake(hash, true, false);
        a.write(WireEncoder.simple(MessageId.HAVE_ALL), WireEncoder.simple(MessageId.UNCHOKE));
        assertThat(a.received.events).contains("request 0 0 16384");
        a.write(WireEncoder.request(MessageId.REJECT_REQUEST, 0, 0, 16384));
        // Asked again at once: the rejected block is free and the pipeline has room.
        assertThat(a.received.events.stream().filter(e -> e.equals("request 0 0 16384")).count())
                .isEqualTo(2);
    }

    @Test
    void extendedHandshakeAnnouncesUtMetadataAndServesTheInfoDictionary() {
        Swarms.Node seed = seed();
        RawPeer raw = new RawPeer(seed.engine, "a").handshake(hash, false, true);
        byte[] ours = raw.received.extendedPayloads.get(0);
        ExtensionHandshake h = ExtensionHandshake.parse(ours, 0, ours.length);
        byte[] info = torrent.metainfo.infoBytes();
        assertThat(h.utMetadataId()).isEqualTo(ExtensionHandshake.UT_METADATA_ID);
        assertThat(h.metadataSize()).isEqualTo(info.length);
        assertThat(h.requestQueue()).isEqualTo(500);
        raw.write(WireEncoder.extended(0, new ExtensionHandshake(5, -1, 0, "raw").encode()));
        raw.write(WireEncoder.extended(ExtensionHandshake.UT_METADATA_ID, MetadataMessage.request(0)));
        raw.write(WireEncoder.extended(ExtensionHandshake.UT_METADATA_ID, MetadataMessage.request(1)));
        assertThat(raw.received.events).contains("extended 5 " + (raw.received.extendedPayloads.get(1).length));
        byte[] data = raw.received.extendedPayloads.get(1);
        MetadataMessage m = MetadataMessage.parse(data, 0, data.length);
        assertThat(m.type()).isEqualTo(MetadataMessage.DATA);
        assertThat(m.totalSize()).isEqualTo(info.length);
        assertThat(m.data()).isEqualTo(info);
        byte[] rejected = raw.received.extendedPayloads.get(2);
        assertThat(MetadataMessage.parse(rejected, 0, rejected.length).type())
                .isEqualTo(MetadataMessage.REJECT);
        assertThat(raw.closed).isFalse();
    }

    @Test
    void extendedMessageWithoutNegotiationIsAViolation() {
        RawPeer raw = new RawPeer(seed().engine, "a").handshake(hash, true, false);
        raw.write(WireEncoder.extended(0, new ExtensionHandshake(5, -1, 0, "raw").encode()));
        assertThat(raw.closeReason).isEqualTo("extended message without BEP 10 negotiated");
    }

    @Test
    void connectionToOurselvesIsClosed() {
        Swarms.Node seed = seed();
        RawPeer raw = new RawPeer(seed.engine, "a");
        raw.write(new io.swarmcdn.torrent.peerwire.Handshake(new byte[8], hash,
                seed.engine.peerId()).encode());
        assertThat(raw.closeReason).isEqualTo("connected to ourselves");
    }

    @Test
    void idlePeerIsClosedAndKeepAlivesAreSent() {
        Swarms.Node seed = seed();
        RawPeer raw = new RawPeer(seed.engine, "a").handshake(hash, true, false);
        clock.advance(61_000);
        seed.engine.tick();
        assertThat(raw.received.events).contains("keep-alive");
        clock.advance(120_000);
        seed.engine.tick();
        assertThat(raw.closeReason).startsWith("idle for");
    }

    @Test
    void secondConnectionWithTheSamePeerIdIsClosed() {
        Swarms.Node seed = seed();
        RawPeer first = new RawPeer(seed.engine, "x").handshake(hash, true, false);
        RawPeer second = new RawPeer(seed.engine, "x").handshake(hash, true, false);
        assertThat(first.closed).isFalse();
        assertThat(second.closeReason).isEqualTo("already connected to this peer id");
        assertThat(seed.engine.peers()).containsExactly(first.handle);
    }
}
