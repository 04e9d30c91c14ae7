package io.swarmcdn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmcdn.torrent.tracker.PeerAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code seed} and {@code download} against each other, and their handling of bad input. */
@Timeout(60)
class PeerCommandsTest {

  @TempDir Path dir;

  private Path torrentOf(Path file) throws Exception {
    Path torrent = dir.resolve(file.getFileName() + ".torrent");
    try (CliRun create = new CliRun("create", file.toString(), "-l", "32K", "-o", torrent.toString())) {
      assertThat(create.await(30, TimeUnit.SECONDS)).as(create.err.toString()).isZero();
    }
    return torrent;
  }

  private Path randomFile(String name, int size, long seed) throws Exception {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return Files.write(dir.resolve(name), b);
  }

  @Test
  void downloadFindsOurSeedThroughAnHttpTrackerAndResumesNothingTwice() throws Exception {
    Path file = randomFile("data.bin", 1_500_000, 1);
    Path torrent = torrentOf(file);
    try (CliRun seed = new CliRun("seed", torrent.toString(), file.toString(), "--bind", "127.0.0.1",
        "--port", "0")) {
      String line = seed.out.await("listening on 127.0.0.1:", 30_000);
      int port = Integer.parseInt(line.substring(line.lastIndexOf(':') + 1));
      try (TestTracker tracker = new TestTracker(List.of(new PeerAddress("127.0.0.1", port)))) {
        Path out = dir.resolve("out");
        try (CliRun dl = new CliRun("download", torrent.toString(), "--tracker", tracker.announceUrl(),
            "-o", out.toString(), "--bind", "127.0.0.1", "--timeout", "40")) {
          assertThat(dl.await(50, TimeUnit.SECONDS)).as(dl.err.toString()).isZero();
        }
        assertThat(Files.readAllBytes(out.resolve("data.bin"))).isEqualTo(Files.readAllBytes(file));
        assertThat(tracker.announces()).anyMatch(q -> q.contains("event=started"));
        assertThat(tracker.announces()).anyMatch(q -> q.contains("left=1500000"));

        // Run again on the complete file: everything verifies from disk, nothing is fetched.
        try (CliRun again = new CliRun("download", torrent.toString(), "--peer", "127.0.0.1:" + port,
            "-o", out.toString(), "--bind", "127.0.0.1", "--timeout", "40")) {
          assertThat(again.await(50, TimeUnit.SECONDS)).as(again.err.toString()).isZero();
        }
      }
    }
  }

  @Test
  void badArgumentsAreUsageErrors() throws Exception {
    Path file = randomFile("x.bin", 50_000, 2);
    Path torrent = torrentOf(file);
    try (CliRun noPeers = new CliRun("download", torrent.toString())) {
      assertThat(noPeers.await(20, TimeUnit.SECONDS)).isEqualTo(2);
      assertThat(noPeers.err.toString()).contains("no peers to download from");
    }
    try (CliRun badPeer = new CliRun("download", torrent.toString(), "--peer", "nowhere")) {
      assertThat(badPeer.await(20, TimeUnit.SECONDS)).isEqualTo(2);
      assertThat(badPeer.err.toString()).contains("--peer: expected HOST:PORT");
    }
    try (CliRun badMagnet = new CliRun("download", "magnet:?xt=urn:btih:zz", "--peer", "127.0.0.1:1")) {
      assertThat(badMagnet.await(20, TimeUnit.SECONDS)).isEqualTo(1);
    }
    try (CliRun badPort = new CliRun("seed", torrent.toString(), file.toString(), "--port", "70000")) {
      assertThat(badPort.await(20, TimeUnit.SECONDS)).isEqualTo(2);
    }
  }

  @Test
  void seedRefusesContentThatDoesNotMatchTheTorrent() throws Exception {
    Path file = randomFile("y.bin", 100_000, 3);
    Path torrent = torrentOf(file);
    Path other = randomFile("other.bin", 100_000, 4);
    try (CliRun seed = new CliRun("seed", torrent.toString(), other.toString(), "--bind", "127.0.0.1",
        "--port", "0")) {
      assertThat(seed.await(20, TimeUnit.SECONDS)).isEqualTo(1);
      assertThat(seed.err.toString()).contains("does not match the torrent");
    }
  }

  @Test
  void downloadGivesUpAtTheTimeoutWhenNoPeerAnswers() throws Exception {
    Path file = randomFile("z.bin", 50_000, 5);
    Path torrent = torrentOf(file);
    try (CliRun dl = new CliRun("download", torrent.toString(), "--peer", "127.0.0.1:1",
        "-o", dir.resolve("o").toString(), "--bind", "127.0.0.1", "--timeout", "2")) {
      assertThat(dl.await(20, TimeUnit.SECONDS)).isEqualTo(1);
      assertThat(dl.err.toString()).contains("timed out after 2 s");
    }
  }
}
