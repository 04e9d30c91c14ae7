package io.swarmcdn.torrent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmcdn.torrent.jvm.hash.JdkSha1;
import io.swarmcdn.torrent.picker.RarestFirstPicker;
import io.swarmcdn.torrent.storage.InMemoryPieceStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Regression: swarmcdn -> swarmcdn in bench/peer-transfer waited on round trips because the request
 * pipeline stayed at {@code minPipeline} (16 blocks) until the rate meter's first tick samples,
 * hundreds of milliseconds into the transfer. The pipeline must grow with deliveries alone.
 */
@Timeout(10)
class PipelineSlowStartTest {

    @Test
    void pipelineStuckAtMinimumUntilRateSampled() {
        TestTorrent t = new TestTorrent(64 * 32 * 1024, 32 * 1024, 5); // 128 blocks
        Swarms.Events events = new Swarms.Events();
        InMemoryPieceStorage[] storage = new InMemoryPieceStorage[1];
        TorrentEngine leech = TorrentEngine.builder().metainfo(t.metainfo)
                .storage(info -> storage[0] = new InMemoryPieceStorage(info.layout()))
                .picker(layout -> new RarestFirstPicker(layout, 1))
                .sha1(new JdkSha1()).clock(new ManualClock()).listener(events)
                .config(EngineConfig.DEFAULT).build();
        RawPeer raw = new RawPeer(leech, "a").handshake(t.metainfo.infoHash().bytes(), true, false);
        ScriptedSeeder seeder = new ScriptedSeeder(raw, t.content, 32 * 1024);
        raw.write(ScriptedSeeder.haveAllUnchoke());

        // The clock never moves: no tick, no rate sample. Each answerAll is one round trip.
        int firstBatch = seeder.answerAll(false);
        int roundTrips = 1;
        while (!events.complete && roundTrips < 20) {
            seeder.answerAll(false);
            roundTrips++;
        }
        assertThat(firstBatch).isEqualTo(EngineConfig.DEFAULT.minPipeline);
        assertThat(events.complete).isTrue();
        // 16, 32, 64, then the last 16: four round trips (at a fixed 16 per trip it took eight).
        assertThat(roundTrips).isLessThanOrEqualTo(4);
        assertThat(storage[0].content()).isEqualTo(t.content);
    }
}
