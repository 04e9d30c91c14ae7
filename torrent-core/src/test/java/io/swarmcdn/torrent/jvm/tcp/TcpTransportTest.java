package io.swarmcdn.torrent.jvm.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmcdn.torrent.create.TorrentBuilder;
import io.swarmcdn.torrent.engine.EngineListener;
import io.swarmcdn.torrent.engine.TorrentEngine;
import io.swarmcdn.torrent.jvm.hash.JdkSha1;
import io.swarmcdn.torrent.jvm.storage.FilePieceStorage;
import io.swarmcdn.torrent.metainfo.Info;
import io.swarmcdn.torrent.metainfo.Metainfo;
import io.swarmcdn.torrent.metainfo.PieceLayout;
import io.swarmcdn.torrent.picker.RarestFirstPicker;
import io.swarmcdn.torrent.storage.InMemoryPieceStorage;
import io.swarmcdn.torrent.storage.PieceStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Two engines over real loopback TCP, with the default picker and file storage. */
@Timeout(60)
class TcpTransportTest {

    private static final InetSocketAddress LOOPBACK_ANY =
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @TempDir
    Path tmp;

    private final List<TcpTransport> transports = new ArrayList<>();

    @AfterEach
    void stopAll() {
        transports.forEach(TcpTransport::close);
    }

    static Metainfo torrentOf(String name, byte[] content, int pieceLength) {
        PieceLayout layout = PieceLayout.of(pieceLength, content.length);
        byte[] pieces = new byte[20 * layout.pieceCount()];
        JdkSha1 sha1 = new JdkSha1();
        for (int i = 0; i < layout.pieceCount(); i++) {
            byte[] h = sha1.digest(content, (int) layout.pieceOffset(i), layout.pieceSize(i));
            System.arraycopy(h, 0, pieces, 20 * i, 20);
        }
        return TorrentBuilder.singleFile(name, content.length).pieceLength(pieceLength).build(pieces);
    }

    /** Records completion. */
    static final class Done implements EngineListener {
        final CountDownLatch complete = new CountDownLatch(1);
        final CountDownLatch metadata = new CountDownLatch(1);

        @Override
        public void downloadComplete() {
            complete.countDown();
        }

        @Override
        public void metadataReceived(Info info) {
            metadata.countDown();
        }
    }

    private TcpTransport run(TorrentEngine.Builder b, Function<Info, PieceStorage> storage,
            EngineListener listener) throws IOException {
        TorrentEngine engine = b.storage(storage)
                .picker(layout -> new RarestFirstPicker(layout, System.nanoTime()))
                .sha1(new JdkSha1())
                .clock(() -> System.nanoTime() / 1_000_000)
                .listener(listener)
                .build();
        TcpTransport t = new TcpTransport(engine, 50);
        transports.add(t);
        return t;
    }

    private static Function<Info, PieceStorage> filesIn(Path dir) {
        return info -> {
            try {
                return FilePieceStorage.forDownload(dir, info);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    @Test
    void leechDownloadsAFileFromASeedOverTcp() throws Exception {
        byte[] content = new byte[5 * 1024 * 1024 + 123];
        new Random(3).nextBytes(content);
        Metainfo m = torrentOf("movie.bin", content, 64 * 1024);
        TcpTransport seed = run(TorrentEngine.builder().metainfo(m),
                info -> InMemoryPieceStorage.seeded(content, info.pieceLength()), new Done());
        InetSocketAddress at = seed.listen(LOOPBACK_ANY);
        seed.start();

        Done done = new Done();
        TcpTransport leech = run(TorrentEngine.builder().metainfo(m), filesIn(tmp), done);
        leech.start();
        leech.connect(at);
        leech.connect(at); // a duplicate connect is ignored

        assertThat(done.complete.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readAllBytes(tmp.resolve("movie.bin"))).isEqualTo(content);
        assertThat(leech.call(() -> leech.engine().peers().size())).isEqualTo(1);
    }

    @Test
    void magnetLeechFetchesMetadataThenTheFile() throws Exception {
        byte[] content = new byte[700_000];
        new Random(4).nextBytes(content);
        Metainfo m = torrentOf("clip.bin", content, 32 * 1024);
        TcpTransport seed = run(TorrentEngine.builder().metainfo(m),
                info -> InMemoryPieceStorage.seeded(content, info.pieceLength()), new Done());
        seed.start();
        InetSocketAddress at = seed.listen(LOOPBACK_ANY);

        Done done = new Done();
        TcpTransport leech = run(TorrentEngine.builder().magnet(m.infoHash()), filesIn(tmp), done);
        leech.start();
        leech.connect(at);

        assertThat(done.metadata.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(done.complete.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readAllBytes(tmp.resolve("clip.bin"))).isEqualTo(content);
    }
}
