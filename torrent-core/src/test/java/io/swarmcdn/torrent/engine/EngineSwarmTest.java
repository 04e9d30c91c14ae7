package io.swarmcdn.torrent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmcdn.torrent.peerwire.ExtensionHandshake;
import io.swarmcdn.torrent.peerwire.MessageId;
import io.swarmcdn.torrent.peerwire.MetadataMessage;
import io.swarmcdn.torrent.peerwire.WireEncoder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Download behaviour: metadata fetch, smart-ban, timeouts, endgame, choking. */
@Timeout(20)
class EngineSwarmTest {

    private final ManualClock clock = new ManualClock();

    @Test
    void magnetStartFetchesVerifiedMetadataThenDownloads() {
        TestTorrent t = new TestTorrent(8 * 16 * 1024 + 77, 16 * 1024, 5);
        Swarms.Node seed = new Swarms.Node(t, true, false, clock, Swarms.fastTimers());
        Swarms.Node leech = new Swarms.Node(t, false, true, clock, Swarms.fastTimers());
        assertThat(leech.engine.info()).isNull();
        MemoryNetwork net = new MemoryNetwork(11, 500);
        net.connect(seed.engine, "seed", leech.engine, "leech");

        assertThat(net.run(clock, 100, 50, () -> leech.events.complete, seed.engine, leech.engine))
                .isTrue();
        assertThat(leech.events.metadata).isTrue();
        assertThat(leech.engine.info().pieceCount()).isEqualTo(9);
        assertThat(leech.storage.content()).isEqualTo(t.content);
    }

    @Test
    void magnetStartWithLargeMetadataFetchesEveryMetadataPiece() {
        // 3000 pieces: 60 000 bytes of hashes, so the info dictionary spans four 16 KiB pieces.
        TestTorrent t = new TestTorrent(3000 * 16 * 1024, 16 * 1024, 6);
        assertThat(t.metainfo.infoBytes().length).isGreaterThan(3 * MetadataMessage.PIECE_SIZE);
        Swarms.Node seed = new Swarms.Node(t, true, false, clock, Swarms.fastTimers());
        Swarms.Node leech = new Swarms.Node(t, false, true, clock, Swarms.fastTimers());
        new MemoryNetwork(12, 70_000).connect(seed.engine, "seed", leech.engine, "leech");
        MemoryNetwork net = new MemoryNetwork(12, 70_000);
        net.connect(seed.engine, "seed2", leech.engine, "leech2");
        assertThat(net.run(clock, 100, 20, () -> leech.events.metadata, seed.engine, leech.engine))
                .isTrue();
        assertThat(leech.engine.info().pieceCount()).isEqualTo(3000);
    }

    @Test
    void peerSendingWrongMetadataIsBannedAndTheRightOneComesFromAnother() {
        TestTorrent t = new TestTorrent(4 * 16 * 1024, 16 * 1024, 7);
        byte[] hash = t.metainfo.infoHash().bytes();
        int size = t.metainfo.infoBytes().length;
        Swarms.Node leech = new Swarms.Node(t, false, true, clock, Swarms.fastTimers());
        RawPeer liar = new RawPeer(leech.engine, "liar").handshake(hash, true, true);
        liar.write(WireEncoder.simple(MessageId.HAVE_ALL),
                WireEncoder.extended(0, new ExtensionHandshake(3, size, 0, "liar").encode()));
        // The leecher asks the liar for metadata piece 0 on its extended id 3.
        assertThat(liar.received.events).contains("extended 3 " + MetadataMessage.request(0).length);
        byte[] wrong = new byte[size];
        liar.write(WireEncoder.extended(ExtensionHandshake.UT_METADATA_ID,
                MetadataMessage.data(0, size, wrong, 0, size)));

        assertThat(leech.events.bans)
                .containsExactly("liar: sent metadata that does not match the info-hash");
        assertThat(liar.closeReason).isEqualTo("banned: sent metadata that does not match the info-hash");
        assertThat(leech.engine.info()).isNull();

        Swarms.Node seed = new Swarms.Node(t, true, false, clock, Swarms.fastTimers());
        MemoryNetwork net = new MemoryNetwork(13, 1000);
        net.connect(seed.engine, "seed", leech.engine, "leech");
        assertThat(net.run(clock, 100, 50, () -> leech.events.complete, seed.engine, leech.engine))
                .isTrue();
        assertThat(leech.storage.content()).isEqualTo(t.content);
        // A banned address is refused when it comes back.
        RawPeer again = new RawPeer(leech.engine, "liar");
        assertThat(again.closeReason).isEqualTo("banned");
    }

    @Test
    void smartBanFindsThePeerWhoseBlockDiffersOnceThePieceVerifies() {
        TestTorrent t = new TestTorrent(2 * 32 * 1024, 32 * 1024, 8);
        byte[] hash = t.metainfo.infoHash().bytes();
        Swarms.Node leech = new Swarms.Node(t, false, false, clock, Swarms.fastTimers());
        RawPeer bad = new RawPeer(leech.engine, "bad").handshake(hash, true, false);
        RawPeer good = new RawPeer(leech.engine, "good").handshake(hash, true, false);
        ScriptedSeeder badSeeder = new ScriptedSeeder(bad, t.content, 32 * 1024);
        ScriptedSeeder goodSeeder = new ScriptedSeeder(good, t.content, 32 * 1024);
        bad.write(ScriptedSeeder.haveAllUnchoke());
        assertThat(bad.received.events).contains("request 0 0 16384", "request 0 16384 16384");
        good.write(ScriptedSeeder.haveAllUnchoke());
        badSeeder.ignorePending();
        // Piece 0 gets a corrupt first block from "bad" and a good second block from "good".
        badSeeder.answer(0, 0, 16384, true);
        goodSeeder.answer(0, 16384, 16384, false);
        assertThat(leech.events.log).containsExactly("failed 0");
        assertThat(leech.events.bans).isEmpty();

        for (int i = 0; i < 20 && !leech.events.complete; i++) {
            goodSeeder.answerAll(false);
            badSeeder.answerAll(false);
            clock.advance(2_500);
            leech.engine.tick();
        }
        assertThat(leech.events.complete).isTrue();
        assertThat(leech.storage.content()).isEqualTo(t.content);
        assertThat(leech.events.bans).containsExactly("bad: sent a corrupt block 0 of piece 0");
        assertThat(bad.closed).isTrue();
        assertThat(good.closed).isFalse();
    }

    @Test
    void corruptSeedIsBannedWhileTheDownloadCompletesFromAGoodOne() {
        TestTorrent t = new TestTorrent(16 * 32 * 1024, 32 * 1024, 9);
        Swarms.Node good = new Swarms.Node(t, true, false, clock, Swarms.fastTimers());
        Swarms.Node bad = new Swarms.Node(t, true, false, clock, Swarms.fastTimers());
        Swarms.Node leech = new Swarms.Node(t, false, false, clock, Swarms.fastTimers());
        MemoryNetwork net = new MemoryNetwork(14, 5000);
        MemoryNetwork.Link[] badLinks = net.connect(bad.engine, "bad", leech.engine, "leech");
        badLinks[0].filter = m -> {
            if (m.length > WireEncoder.PIECE_HEADER_LENGTH && m[4] == MessageId.PIECE) {
                m[WireEncoder.PIECE_HEADER_LENGTH + 1] ^= 1;
            }
            return m;
        };
        net.connect(good.engine, "good", leech.engine, "leech");

        assertThat(net.run(clock, 100, 200, () -> leech.events.complete, good.engine, bad.engine,
                leech.engine)).isTrue();
        assertThat(leech.storage.content()).isEqualTo(t.content);
        assertThat(leech.events.bans).hasSize(1);
        assertThat(leech.events.bans.get(0)).startsWith("bad: ");
        assertThat(leech.events.log).isNotEmpty().allMatch(e -> e.startsWith("failed "));
        assertThat(leech.engine.peers()).extracting(Peer::address).containsExactly("good");
    }

    @Test
    void silentPeersRequestsTimeOutAndGoElsewhere() {
        TestTorrent t = new TestTorrent(4 * 32 * 1024, 32 * 1024, 10);
        byte[] hash = t.metainfo.infoHash().bytes();
        Swarms.Node leech = new Swarms.Node(t, false, false, clock, Swarms.fastTimers());
        RawPeer silent = new RawPeer(leech.engine, "silent").handshake(hash, true, false);
        silent.write(ScriptedSeeder.haveAllUnchoke());
        assertThat(requests(silent)).hasSize(8);

        clock.advance(1_000);
        leech.engine.tick();
        assertThat(requests(silent)).hasSize(8);
        clock.advance(1_500); // 2.5 s without a block > 2 s timeout
        leech.engine.tick();
        // Snubbed: one request in flight to it from now on.
        assertThat(requests(silent)).hasSize(9);

        RawPeer helper = new RawPeer(leech.engine, "helper").handshake(hash, true, false);
        ScriptedSeeder seeder = new ScriptedSeeder(helper, t.content, 32 * 1024);
        helper.write(ScriptedSeeder.haveAllUnchoke());
        assertThat(requests(helper)).contains("request 0 16384 16384", "request 3 16384 16384");
        for (int i = 0; i < 5 && !leech.events.complete; i++) {
            seeder.answerAll(false);
        }
        assertThat(leech.events.complete).isTrue();
        assertThat(silent.closed).isFalse();
    }

    @Test
    void endgameCancelsTheDuplicateWhenTheFirstCopyArrives() {
        TestTorrent t = new TestTorrent(32 * 1024, 32 * 1024, 11);
        byte[] hash = t.metainfo.infoHash().bytes();
        Swarms.Node leech = new Swarms.Node(t, false, false, clock, Swarms.fastTimers());
        RawPeer a = new RawPeer(leech.engine, "a").handshake(hash, true, false);
        RawPeer b = new RawPeer(leech.engine, "b").handshake(hash, true, false);
        a.write(ScriptedSeeder.haveAllUnchoke());
        b.write(ScriptedSeeder.haveAllUnchoke());
        assertThat(requests(a)).containsExactly("request 0 0 16384", "request 0 16384 16384");
        assertThat(requests(b)).contains("request 0 0 16384");
        new ScriptedSeeder(a, t.content, 32 * 1024).answer(0, 0, 16384, false);
        assertThat(b.received.events).contains("cancel 0 0 16384");
    }

    @Test
    void chokerKeepsRegularSlotsPlusOneOptimisticAndRotatesIt() {
        TestTorrent t = new TestTorrent(4 * 16 * 1024, 16 * 1024, 12);
        byte[] hash = t.metainfo.infoHash().bytes();
        EngineConfig config = EngineConfig.builder().uploadSlots(2).chokeIntervalMillis(1_000)
                .optimisticEveryRounds(1).build();
        Swarms.Node seed = new Swarms.Node(t, true, false, clock, config);
        RawPeer[] peers = new RawPeer[5];
        for (int i = 0; i < peers.length; i++) {
            peers[i] = new RawPeer(seed.engine, "p" + i).handshake(hash, true, false);
            peers[i].write(WireEncoder.simple(MessageId.INTERESTED));
        }
        // Free slots are given at once: 2 regular + 1 optimistic.
        assertThat(unchoked(seed)).isEqualTo(3);
        assertThat(peers[3].handle.amChoking()).isTrue();

        java.util.Set<String> everUnchoked = new java.util.HashSet<>();
        for (int round = 0; round < 6; round++) {
            clock.advance(1_000);
            seed.engine.tick();
            assertThat(unchoked(seed)).isEqualTo(3);
            for (RawPeer p : peers) {
                if (!p.handle.amChoking()) {
                    everUnchoked.add(p.handle.address());
                }
            }
        }
        assertThat(everUnchoked).hasSize(5);

        // A peer losing interest frees its slot for a waiting one at once.
        RawPeer unchokedPeer = null;
        for (RawPeer p : peers) {
            if (!p.handle.amChoking()) {
                unchokedPeer = p;
            }
        }
        unchokedPeer.write(WireEncoder.simple(MessageId.NOT_INTERESTED));
        assertThat(unchokedPeer.handle.amChoking()).isTrue();
        assertThat(unchoked(seed)).isEqualTo(3);
    }

    @Test
    void chokerPrefersPeersThatUploadMostToUs() {
        TestTorrent t = new TestTorrent(400 * 16 * 1024, 16 * 1024, 13);
        byte[] hash = t.metainfo.infoHash().bytes();
        EngineConfig config = EngineConfig.builder().uploadSlots(1).chokeIntervalMillis(1_000)
                .optimisticEveryRounds(100).build();
        Swarms.Node leech = new Swarms.Node(t, false, false, clock, config);
        RawPeer slow = new RawPeer(leech.engine, "slow").handshake(hash, true, false);
        RawPeer fast = new RawPeer(leech.engine, "fast").handshake(hash, true, false);
        RawPeer idle = new RawPeer(leech.engine, "idle").handshake(hash, true, false);
        ScriptedSeeder slowSeeder = new ScriptedSeeder(slow, t.content, 16 * 1024);
        ScriptedSeeder fastSeeder = new ScriptedSeeder(fast, t.content, 16 * 1024);
        for (RawPeer p : List.of(idle, slow, fast)) {
            p.write(ScriptedSeeder.haveAllUnchoke(), WireEncoder.simple(MessageId.INTERESTED));
        }
        for (int second = 0; second < 3; second++) {
            fastSeeder.answerAll(false);
            // The slow peer delivers one of its requested blocks per second.
            String[] f = requests(slow).get(second).split(" ");
            slowSeeder.answer(Integer.parseInt(f[1]), Integer.parseInt(f[2]), 16384, false);
            clock.advance(1_000);
            leech.engine.tick();
        }
        assertThat(fast.handle.downloadRate()).isGreaterThan(slow.handle.downloadRate());
        assertThat(slow.handle.downloadRate()).isGreaterThan(0);
        // One regular slot, held by the fastest uploader to us, plus the optimistic one.
        assertThat(fast.handle.amChoking()).isFalse();
        assertThat(unchoked(leech)).isEqualTo(2);
    }

    /**
     * Regression: duplicates were cancelled only when the picker said "endgame", but the picker
     * also doubles requests for a piece whose streaming deadline passed; those copies kept
     * coming after the first arrived.
     */
    @Test
    void overdueDeadlineDuplicateIsCancelledOutsideEndgame() {
        TestTorrent t = new TestTorrent(40 * 32 * 1024, 32 * 1024, 14);
        byte[] hash = t.metainfo.infoHash().bytes();
        Swarms.Node leech = new Swarms.Node(t, false, false, clock, Swarms.fastTimers());
        leech.engine.picker().setDeadline(0, clock.now - 1);
        RawPeer a = new RawPeer(leech.engine, "a").handshake(hash, true, false);
        RawPeer b = new RawPeer(leech.engine, "b").handshake(hash, true, false);
        a.write(ScriptedSeeder.haveAllUnchoke());
        b.write(ScriptedSeeder.haveAllUnchoke());
        assertThat(requests(a)).contains("request 0 0 16384");
        assertThat(requests(b)).contains("request 0 0 16384");
        new ScriptedSeeder(a, t.content, 32 * 1024).answer(0, 0, 16384, false);
        assertThat(leech.engine.picker().isEndgame()).isFalse();
        assertThat(b.received.events).contains("cancel 0 0 16384");
    }

    @Test
    void chokeWithoutFastDropsRequestsWhichAreAskedAgainAfterUnchoke() {
        TestTorrent t = new TestTorrent(2 * 32 * 1024, 32 * 1024, 15);
        byte[] hash = t.metainfo.infoHash().bytes();
        Swarms.Node leech = new Swarms.Node(t, false, false, clock, Swarms.fastTimers());
        RawPeer a = new RawPeer(leech.engine, "a").handshake(hash, false, false);
        a.write(WireEncoder.bitfield(io.swarmcdn.torrent.peerwire.Bitfield.full(2)),
                WireEncoder.simple(MessageId.UNCHOKE));
        assertThat(requests(a)).hasSize(4);
        a.write(WireEncoder.simple(MessageId.CHOKE));
        assertThat(leech.engine.peers().get(0).isChokingUs()).isTrue();
        a.write(WireEncoder.simple(MessageId.UNCHOKE));
        // BEP 3: the choke discarded them, so all four are asked again.
        assertThat(requests(a)).hasSize(8);
        ScriptedSeeder s = new ScriptedSeeder(a, t.content, 32 * 1024);
        s.ignorePending();
        for (String r : requests(a).subList(4, 8)) {
            String[] f = r.split(" ");
            s.answer(Integer.parseInt(f[1]), Integer.parseInt(f[2]), 16384, false);
        }
        assertThat(leech.events.complete).isTrue();
    }

    @Test
    void uploadPausesAtTheHighWaterMarkAndResumesWhenWritable() {
        TestTorrent t = new TestTorrent(4 * 32 * 1024, 32 * 1024, 16);
        byte[] hash = t.metainfo.infoHash().bytes();
        Swarms.Node seed = new Swarms.Node(t, true, false, clock, EngineConfig.DEFAULT);
        RawPeer raw = new RawPeer(seed.engine, "a").handshake(hash, true, false);
        raw.buffered = 2 << 20;
        raw.write(WireEncoder.simple(MessageId.INTERESTED),
                WireEncoder.request(MessageId.REQUEST, 0, 0, 16384),
                WireEncoder.request(MessageId.REQUEST, 1, 0, 16384));
        assertThat(raw.received.blocks).isEmpty();
        raw.buffered = 0;
        seed.engine.onWritable(raw.handle);
        assertThat(raw.received.events).containsSubsequence("piece 0 0 16384", "piece 1 0 16384");
        assertThat(raw.handle.uploadedBytes()).isEqualTo(2 * 16384);
        assertThat(seed.engine.uploadedBytes()).isEqualTo(2 * 16384);
    }

    @Test
    void magnetStartFromAPeerWithoutFastAppliesItsEarlyBitfieldAfterMetadata() {
        TestTorrent t = new TestTorrent(6 * 16 * 1024, 16 * 1024, 17);
        EngineConfig noFast = EngineConfig.builder().fastExtension(false).build();
        Swarms.Node seed = new Swarms.Node(t, true, false, clock, noFast);
        Swarms.Node leech = new Swarms.Node(t, false, true, clock, Swarms.fastTimers());
        MemoryNetwork net = new MemoryNetwork(18, 100);
        net.connect(seed.engine, "seed", leech.engine, "leech");
        assertThat(net.run(clock, 100, 50, () -> leech.events.complete, seed.engine, leech.engine))
                .isTrue();
        assertThat(leech.storage.content()).isEqualTo(t.content);
    }

    @Test
    void leechersShareWithEachOtherWhileTheSeedLimitsItsSlots() {
        TestTorrent t = new TestTorrent(64 * 16 * 1024, 16 * 1024, 19);
        EngineConfig config = EngineConfig.builder().uploadSlots(1).chokeIntervalMillis(500)
                .minPipeline(2).maxPipeline(4).build();
        Swarms.Node seed = new Swarms.Node(t, true, false, clock, config);
        List<Swarms.Node> leechers = new java.util.ArrayList<>();
        MemoryNetwork net = new MemoryNetwork(20, 4000);
        for (int i = 0; i < 3; i++) {
            Swarms.Node l = new Swarms.Node(t, false, false, clock, config);
            net.connect(seed.engine, "seed", l.engine, "l" + i);
            for (int j = 0; j < leechers.size(); j++) {
                net.connect(leechers.get(j).engine, "l" + j, l.engine, "l" + i);
            }
            leechers.add(l);
        }
        TorrentEngine[] all = {seed.engine, leechers.get(0).engine, leechers.get(1).engine,
                leechers.get(2).engine};
        assertThat(net.run(clock, 100, 500, () -> leechers.stream().allMatch(l -> l.events.complete),
                all)).isTrue();
        long sharedAmongLeechers = 0;
        for (Swarms.Node l : leechers) {
            assertThat(l.storage.content()).isEqualTo(t.content);
            sharedAmongLeechers += l.engine.uploadedBytes();
        }
        assertThat(sharedAmongLeechers).isGreaterThan(0);
        // Each leecher accepted exactly the torrent; what was sent beyond that is endgame copies
        // that crossed their cancel, a bounded waste.
        for (Swarms.Node l : leechers) {
            assertThat(l.engine.downloadedBytes()).isEqualTo(t.content.length);
        }
        long sent = seed.engine.uploadedBytes() + sharedAmongLeechers;
        assertThat(sent).isBetween(3L * t.content.length, 3L * t.content.length * 12 / 10);
    }

    private static int unchoked(Swarms.Node n) {
        int c = 0;
        for (Peer p : n.engine.peers()) {
            if (!p.amChoking()) {
                c++;
            }
        }
        return c;
    }

    private static List<String> requests(RawPeer p) {
        return p.received.events.stream().filter(e -> e.startsWith("request")).toList();
    }
}
