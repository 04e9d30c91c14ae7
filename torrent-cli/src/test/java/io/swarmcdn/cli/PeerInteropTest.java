package io.swarmcdn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmcdn.torrent.jvm.hash.ParallelPieceHasher;
import io.swarmcdn.torrent.jvm.hash.Progress;
import io.swarmcdn.torrent.jvm.hash.TorrentFiles;
import io.swarmcdn.torrent.metainfo.Metainfo;
import io.swarmcdn.torrent.tracker.PeerAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our engine against real BitTorrent clients from Debian over loopback TCP: aria2c downloads from
 * our {@code seed}; our {@code download} fetches from a libtorrent seeder (from a .torrent, and
 * from a magnet URI through BEP 9 ut_metadata); a peer sending corrupt blocks is banned while the
 * download completes from the good one. Every process is killed at the end of its test.
 */
@Timeout(120)
class PeerInteropTest {

  private static final int PIECE = 64 * 1024;

  @TempDir static Path shared;
  private static Path content;
  private static Path torrent;
  private static Metainfo metainfo;

  @TempDir Path dir;

  @BeforeAll
  static void makeTorrent() throws Exception {
    Path seedDir = Files.createDirectories(shared.resolve("seed"));
    byte[] data = new byte[4 * 1024 * 1024 + 12_345];
    new Random(11).nextBytes(data);
    content = Files.write(seedDir.resolve("video.bin"), data);
    try (ParallelPieceHasher hasher = new ParallelPieceHasher(2)) {
      metainfo = TorrentFiles.create(content, b -> b.pieceLength(PIECE), hasher, Progress.NONE);
    }
    torrent = Files.write(shared.resolve("video.torrent"), metainfo.toBytes());
  }

  private static CliRun seed() throws Exception {
    CliRun seed = new CliRun("seed", torrent.toString(), content.toString(), "--bind", "127.0.0.1",
        "--port", "0");
    seed.out.await("listening on 127.0.0.1:", 30_000);
    return seed;
  }

  private static int port(CliRun seed) throws Exception {
    String line = seed.out.await("listening on", 1000);
    return Integer.parseInt(line.substring(line.lastIndexOf(':') + 1));
  }

  private Path download(String source, List<String> peers, CliRun[] keep) throws Exception {
    Path out = dir.resolve("out");
    String[] args = new String[6 + 2 * peers.size()];
    int i = 0;
    args[i++] = "download";
    args[i++] = source;
    for (String p : peers) {
      args[i++] = "--peer";
      args[i++] = p;
    }
    args[i++] = "-o";
    args[i++] = out.toString();
    args[i++] = "--bind";
    args[i++] = "127.0.0.1";
    CliRun run = new CliRun(args);
    keep[0] = run;
    int exit = run.await(90, TimeUnit.SECONDS);
    assertThat(exit).as("download exit; stderr:\n%s", run.err).isZero();
    assertThat(run.out.await("downloaded video.bin:", 1000)).contains("every piece verified");
    return out.resolve("video.bin");
  }

  @Test
  void aria2cDownloadsFromOurSeedAlone() throws Exception {
    try (CliRun seed = seed();
        TestTracker tracker = new TestTracker(List.of(new PeerAddress("127.0.0.1", port(seed))))) {
      Path out = Files.createDirectories(dir.resolve("aria2c"));
      Aria2c.Result r = Aria2c.download(torrent, out, tracker.announceUrl(), Duration.ofSeconds(60));
      assertThat(r.exitCode()).as("%s\n--- our seed:\n%s", r.output(), seed.err).isZero();
      assertThat(Files.readAllBytes(out.resolve("video.bin"))).isEqualTo(Files.readAllBytes(content));
      assertThat(tracker.announces()).isNotEmpty();
      seed.close();
      long uploaded = Long.parseLong(seed.out.await("uploaded ", 5000).split(" ")[1]);
      assertThat(uploaded).isGreaterThanOrEqualTo(Files.size(content));
    }
  }

  @Test
  void libtorrentDownloadsFromOurSeed() throws Exception {
    try (CliRun seed = seed();
        LibtorrentPeer lt = LibtorrentPeer.download(torrent.toString(), dir,
            List.of("127.0.0.1:" + port(seed)), dir.resolve("lt.log"))) {
      assertThat(lt.awaitFinished(Duration.ofSeconds(60)))
          .as("libtorrent finished; log:\n%s", Files.readString(dir.resolve("lt.log"))).isTrue();
      assertThat(Files.readAllBytes(dir.resolve("video.bin"))).isEqualTo(Files.readAllBytes(content));
    }
  }

  @Test
  void downloadsATorrentFromALibtorrentSeeder() throws Exception {
    CliRun[] run = new CliRun[1];
    try (LibtorrentPeer lt = LibtorrentPeer.seed(torrent, content.getParent(), dir.resolve("lt.log"))) {
      Path got = download(torrent.toString(), List.of(lt.address()), run);
      assertThat(Files.readAllBytes(got)).isEqualTo(Files.readAllBytes(content));
    } finally {
      if (run[0] != null) {
        run[0].close();
      }
    }
  }

  @Test
  void downloadsAMagnetFromALibtorrentSeederFetchingTheMetadataWithUtMetadata() throws Exception {
    CliRun[] run = new CliRun[1];
    try (LibtorrentPeer lt = LibtorrentPeer.seed(torrent, content.getParent(), dir.resolve("lt.log"))) {
      String magnet = "magnet:?xt=urn:btih:" + metainfo.infoHash().hex() + "&dn=video.bin";
      Path got = download(magnet, List.of(lt.address()), run);
      assertThat(run[0].err.await("metadata received: video.bin", 1000)).isNotNull();
      assertThat(Files.readAllBytes(got)).isEqualTo(Files.readAllBytes(content));
    } finally {
      if (run[0] != null) {
        run[0].close();
      }
    }
  }

  @Test
  void aPeerSendingCorruptBlocksIsBannedAndTheDownloadCompletesFromTheGoodSeeder()
      throws Exception {
    CliRun[] run = new CliRun[1];
    try (CorruptPeer liar = new CorruptPeer(metainfo.infoHash().bytes(), metainfo.info().pieceCount());
        LibtorrentPeer lt = LibtorrentPeer.seed(torrent, content.getParent(), dir.resolve("lt.log"))) {
      Path got = download(torrent.toString(), List.of(liar.address(), lt.address()), run);
      assertThat(Files.readAllBytes(got)).isEqualTo(Files.readAllBytes(content));
      assertThat(liar.blocksSent()).as("the liar was asked for blocks").isPositive();
      assertThat(run[0].err.await("banned peer " + liar.address(), 1000)).isNotNull();
      assertThat(run[0].err.lines()).anyMatch(l -> l.contains("failed verification"));
    } finally {
      if (run[0] != null) {
        run[0].close();
      }
    }
  }
}
