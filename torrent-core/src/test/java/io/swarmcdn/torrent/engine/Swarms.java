package io.swarmcdn.torrent.engine;

import io.swarmcdn.torrent.jvm.hash.JdkSha1;
import io.swarmcdn.torrent.picker.RarestFirstPicker;
import io.swarmcdn.torrent.storage.InMemoryPieceStorage;
import java.util.ArrayList;
import java.util.List;

/** Builds engines over test storage for the in-memory swarm tests, and records their events. */
final class Swarms {

    /** Records events as readable strings. */
    static final class Events implements EngineListener {
        final List<String> log = new ArrayList<>();
        final List<String> bans = new ArrayList<>();
        final List<String> closes = new ArrayList<>();
        boolean complete;
        boolean metadata;

        @Override
        public void peerClosed(Peer peer, String reason) {
            closes.add(peer.address() + ": " + reason);
        }

        @Override
        public void peerBanned(String address, String reason) {
            bans.add(address + ": " + reason);
        }

        @Override
        public void pieceFailed(int piece) {
            log.add("failed " + piece);
        }

        @Override
        public void metadataReceived(io.swarmcdn.torrent.metainfo.Info info) {
            metadata = true;
        }

        @Override
        public void downloadComplete() {
            complete = true;
        }
    }

    /** An engine plus the test storage it created (once metadata is known). */
    static final class Node {
        final TorrentEngine engine;
        final Events events = new Events();
        InMemoryPieceStorage storage;

        Node(TestTorrent t, boolean seed, boolean magnet, ManualClock clock, EngineConfig config) {
            TorrentEngine.Builder b = TorrentEngine.builder();
            if (magnet) {
                b.magnet(t.metainfo.infoHash());
            } else {
                b.metainfo(t.metainfo);
            }
            engine = b.storage(info -> storage = seed
                            ? InMemoryPieceStorage.seeded(t.content, info.pieceLength())
                            : new InMemoryPieceStorage(info.layout()))
                    .picker(layout -> new RarestFirstPicker(layout, 42))
                    .sha1(new JdkSha1())
                    .clock(clock)
                    .listener(events)
                    .config(config)
                    .build();
        }
    }

    static EngineConfig fastTimers() {
        return EngineConfig.builder().requestTimeoutMillis(2_000).chokeIntervalMillis(1_000).build();
    }

    private Swarms() {
    }
}
