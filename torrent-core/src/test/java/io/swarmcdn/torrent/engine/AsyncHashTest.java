package io.swarmcdn.torrent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmcdn.torrent.jvm.hash.JdkSha1;
import io.swarmcdn.torrent.picker.RarestFirstPicker;
import io.swarmcdn.torrent.storage.InMemoryPieceStorage;
import java.util.ArrayDeque;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Piece verification through an asynchronous {@link PieceHasher} (the browser's crypto.subtle). */
@Timeout(10)
class AsyncHashTest {

    /** Holds hash jobs until the test runs them, as a promise resolving later would. */
    static final class DeferredHasher implements PieceHasher {
        final ArrayDeque<Runnable> pending = new ArrayDeque<>();
        final JdkSha1 sha1 = new JdkSha1();

        @Override
        public void hash(byte[] data, int offset, int length, Done done) {
            pending.add(() -> done.digested(sha1.digest(data, offset, length)));
        }

        void runAll() {
            while (!pending.isEmpty()) {
                pending.poll().run();
            }
        }
    }

    private final ManualClock clock = new ManualClock();
    private final TestTorrent t = new TestTorrent(8 * 32 * 1024, 32 * 1024, 21);
    private final byte[] hash = t.metainfo.infoHash().bytes();
    private final DeferredHasher hasher = new DeferredHasher();
    private InMemoryPieceStorage storage;

    private TorrentEngine leech(EngineConfig config, Swarms.Events events) {
        return TorrentEngine.builder().metainfo(t.metainfo)
                .storage(info -> storage = new InMemoryPieceStorage(info.layout()))
                .picker(layout -> new RarestFirstPicker(layout, 1))
                .sha1(new JdkSha1()).hasher(hasher).clock(clock).listener(events).config(config)
                .build();
    }

    @Test
    void pieceIsAnnouncedOnlyWhenItsDigestComesBack() {
        Swarms.Events events = new Swarms.Events();
        TorrentEngine leech = leech(EngineConfig.DEFAULT, events);
        RawPeer raw = new RawPeer(leech, "a").handshake(hash, true, false);
        ScriptedSeeder seeder = new ScriptedSeeder(raw, t.content, 32 * 1024);
        raw.write(ScriptedSeeder.haveAllUnchoke());
        seeder.answerAll(false);
        assertThat(hasher.pending).hasSize(8);
        assertThat(raw.received.events).noneMatch(e -> e.matches("have \\d+"));
        assertThat(leech.verifiedPieces().cardinality()).isZero();
        hasher.runAll();
        assertThat(raw.received.events.stream().filter(e -> e.matches("have \\d+")).count())
                .isEqualTo(8);
        assertThat(events.complete).isTrue();
        assertThat(storage.content()).isEqualTo(t.content);
    }

    @Test
    void lateCopyOfABlockWhileItsPieceIsHashedIsNotWritten() {
        Swarms.Events events = new Swarms.Events();
        TorrentEngine leech = leech(EngineConfig.DEFAULT, events);
        RawPeer a = new RawPeer(leech, "a").handshake(hash, true, false);
        RawPeer b = new RawPeer(leech, "b").handshake(hash, true, false);
        ScriptedSeeder sa = new ScriptedSeeder(a, t.content, 32 * 1024);
        ScriptedSeeder sb = new ScriptedSeeder(b, t.content, 32 * 1024);
        a.write(ScriptedSeeder.haveAllUnchoke());
        b.write(ScriptedSeeder.haveAllUnchoke());
        // Endgame: b holds copies of a's requests. a answers everything first.
        sa.answerAll(false);
        assertThat(hasher.pending).hasSize(8);
        // b's corrupt copies arrive while the pieces are being hashed: dropped, not written.
        sb.answerAll(true);
        hasher.runAll();
        assertThat(events.complete).isTrue();
        assertThat(events.log).isEmpty();
        assertThat(storage.content()).isEqualTo(t.content);
    }

    @Test
    void requestsPauseWhileTooManyPiecesWaitForTheirDigest() {
        Swarms.Events events = new Swarms.Events();
        TorrentEngine leech = leech(EngineConfig.builder().maxPiecesHashing(2).minPipeline(4)
                .maxPipeline(4).build(), events);
        RawPeer raw = new RawPeer(leech, "a").handshake(hash, true, false);
        ScriptedSeeder seeder = new ScriptedSeeder(raw, t.content, 32 * 1024);
        raw.write(ScriptedSeeder.haveAllUnchoke());
        for (int i = 0; i < 10; i++) {
            seeder.answerAll(false);
        }
        // Requests stopped once two pieces waited for their digest: blocks already in flight
        // completed one more piece at most, and nothing else was asked.
        assertThat(hasher.pending).hasSizeBetween(2, 3);
        long requested = raw.received.events.stream().filter(e -> e.startsWith("request")).count();
        assertThat(requested).isLessThan(16);
        assertThat(seeder.answerAll(false)).isZero();
        hasher.runAll();
        assertThat(raw.received.events.stream().filter(e -> e.startsWith("request")).count())
                .isGreaterThan(requested);
        for (int i = 0; i < 20 && !events.complete; i++) {
            seeder.answerAll(false);
            hasher.runAll();
        }
        assertThat(events.complete).isTrue();
    }
}
