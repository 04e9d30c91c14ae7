package io.swarmcdn.origin.tracker.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swarmcdn.torrent.bencode.BDictionary;
import io.swarmcdn.torrent.bencode.BString;
import io.swarmcdn.torrent.jvm.hash.ParallelPieceHasher;
import io.swarmcdn.torrent.jvm.hash.Progress;
import io.swarmcdn.torrent.jvm.hash.TorrentFiles;
import io.swarmcdn.torrent.metainfo.Metainfo;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Issue 3's acceptance test: two stock {@code aria2c} instances find each other through our HTTP
 * tracker alone (no DHT, no local peer discovery, no PEX, no web seed) and the second downloads
 * the whole file from the first.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"server.address=127.0.0.1", "swarmcdn.tracker.allow-any-info-hash=true"})
@Timeout(120)
class Aria2PairThroughHttpTrackerTest {

  @LocalServerPort int port;

  @Test
  void aLeecherDownloadsTheWholeFileFromASeederFoundThroughTheTracker(@TempDir Path temp)
      throws Exception {
    Path seedDir = Files.createDirectories(temp.resolve("seed"));
    Path leechDir = Files.createDirectories(temp.resolve("leech"));
    byte[] content = new byte[3 * 1024 * 1024 + 12345];
    new Random(42).nextBytes(content);
    Path file = Files.write(seedDir.resolve("payload.bin"), content);

    // A torrent announcing to us and nothing else: no url-list, so bytes can only come from a peer.
    Metainfo torrent;
    try (ParallelPieceHasher hasher = new ParallelPieceHasher(2)) {
      torrent =
          TorrentFiles.create(
              file,
              builder ->
                  builder.pieceLength(256 * 1024).tracker("http://127.0.0.1:" + port + "/announce"),
              hasher,
              Progress.NONE);
    }
    assertThat(torrent.webSeeds()).isEmpty();
    Path torrentFile = Files.write(temp.resolve("payload.torrent"), torrent.toBytes());
    byte[] infoHash = torrent.infoHash().bytes();
    TrackerHttpClient tracker = new TrackerHttpClient(port);

    List<Process> processes = new ArrayList<>();
    try {
      Process seeder =
          aria2c(temp.resolve("seeder.log"), seedDir, torrentFile, "--check-integrity=true",
              "--seed-ratio=0.0");
      processes.add(seeder);
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(() -> assertThat(file(tracker, infoHash).getLong("complete")).isEqualTo(1));

      Process leecher =
          aria2c(temp.resolve("leecher.log"), leechDir, torrentFile, "--seed-time=0");
      processes.add(leecher);
      assertThat(leecher.waitFor(60, TimeUnit.SECONDS)).as("leecher finished").isTrue();
      assertThat(leecher.exitValue())
          .as("aria2c exit code, log:\n%s", Files.readString(temp.resolve("leecher.log")))
          .isZero();
      assertThat(Files.readAllBytes(leechDir.resolve("payload.bin"))).isEqualTo(content);

      // The leecher left with `stopped` (aria2c with --seed-time=0 may skip `completed`).
      BDictionary after = file(tracker, infoHash);
      assertThat(after.getLong("complete")).isEqualTo(1);
      assertThat(after.getLong("incomplete")).isZero();
    } finally {
      for (Process process : processes) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static BDictionary file(TrackerHttpClient tracker, byte[] infoHash) {
    return (BDictionary)
        tracker.scrape(infoHash).getDictionary("files").entries().get(BString.of(infoHash));
  }

  /** aria2c restricted to loopback and to the tracker as its only source of peers. */
  private static Process aria2c(Path log, Path dir, Path torrent, String... extra)
      throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                "aria2c",
                "--no-conf=true",
                "--dir=" + dir,
                "--interface=127.0.0.1",
                "--disable-ipv6=true",
                "--listen-port=" + freePort(),
                "--enable-dht=false",
                "--enable-dht6=false",
                "--bt-enable-lpd=false",
                "--enable-peer-exchange=false",
                "--file-allocation=none",
                "--summary-interval=0",
                "--console-log-level=notice",
                "--stop=90",
                "--follow-torrent=false"));
    command.addAll(List.of(extra));
    command.add(torrent.toString());
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
