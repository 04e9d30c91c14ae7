package io.swarmcdn.torrent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class EngineTransferTest {

    @Test
    void twoEnginesTransferAMultiPieceTorrentVerified() {
        TestTorrent t = new TestTorrent(10 * 32 * 1024 + 5_000, 32 * 1024, 1);
        ManualClock clock = new ManualClock();
        Swarms.Node seed = new Swarms.Node(t, true, false, clock, Swarms.fastTimers());
        Swarms.Node leech = new Swarms.Node(t, false, false, clock, Swarms.fastTimers());
        MemoryNetwork net = new MemoryNetwork(7, 3000);
        net.connect(seed.engine, "seed", leech.engine, "leech");

        boolean done = net.run(clock, 100, 50, () -> leech.events.complete, seed.engine, leech.engine);

        assertThat(done).isTrue();
        assertThat(leech.storage.content()).isEqualTo(t.content);
        assertThat(leech.engine.isComplete()).isTrue();
        assertThat(leech.engine.downloadedBytes()).isEqualTo(t.content.length);
        assertThat(seed.engine.uploadedBytes()).isEqualTo(t.content.length);
        assertThat(leech.events.log).isEmpty();
        assertThat(leech.events.bans).isEmpty();
    }
}
