package io.swarmcdn.origin.tracker.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swarmcdn.origin.OriginServer;
import io.swarmcdn.torrent.bencode.BDictionary;
import io.swarmcdn.torrent.bencode.BString;
import io.swarmcdn.torrent.bencode.BValue;
import io.swarmcdn.torrent.bencode.BencodeDecoder;
import io.swarmcdn.torrent.bencode.BencodeEncoder;
import io.swarmcdn.torrent.metainfo.InfoHash;
import io.swarmcdn.torrent.metainfo.Metainfo;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3's acceptance test: a file published by the origin (dropped into its media folder) is
 * shared by two stock {@code aria2c} instances that find each other through our HTTP tracker
 * alone (no DHT, no local peer discovery, no PEX, no web seed): the leecher downloads every byte
 * from the seeder.
 */
@Timeout(120)
class Aria2PairThroughHttpTrackerTest {

  @Test
  void aLeecherDownloadsAPublishedFileFromASeederFoundThroughTheTracker(@TempDir Path temp)
      throws Exception {
    byte[] content = new byte[3 * 1024 * 1024 + 12345];
    new Random(42).nextBytes(content);
    Path leechDir = Files.createDirectories(temp.resolve("leech"));
    List<Process> processes = new ArrayList<>();
    // Default tracker settings: only published torrents are served.
    try (OriginServer origin = new OriginServer(temp.resolve("media"), temp.resolve("data"))) {
      Files.createDirectories(origin.media());
      origin.putMedia("payload.bin", content);
      origin.start();
      String hex = origin.awaitReady("payload.bin").get("infoHash").asString();
      HttpResponse<byte[]> published =
          origin.send(origin.request("/torrents/" + hex + ".torrent").build());
      assertThat(published.statusCode()).isEqualTo(200);
      Metainfo torrent = Metainfo.parse(published.body());
      assertThat(torrent.announce()).isEqualTo(origin.url("/announce"));

      // The leecher's copy has no url-list, so its bytes can only come from the other peer.
      Metainfo peerOnly = Metainfo.parse(withoutWebSeeds(published.body()));
      assertThat(peerOnly.webSeeds()).isEmpty();
      assertThat(peerOnly.infoHash()).isEqualTo(torrent.infoHash());
      Path peerOnlyTorrent = Files.write(temp.resolve("peer-only.torrent"), peerOnly.toBytes());
      byte[] infoHash = InfoHash.fromHex(hex).bytes();
      TrackerHttpClient tracker = new TrackerHttpClient(origin.port());

      // The seeder has a copy of the published file (aria2c must not write into the library).
      Path seedDir = Files.createDirectories(temp.resolve("seed"));
      Files.copy(origin.media().resolve("payload.bin"), seedDir.resolve("payload.bin"));
      processes.add(
          aria2c(temp.resolve("seeder.log"), seedDir, peerOnlyTorrent,
              "--check-integrity=true", "--seed-ratio=0.0"));
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(() -> assertThat(file(tracker, infoHash).getLong("complete")).isEqualTo(1));

      Process leecher =
          aria2c(temp.resolve("leecher.log"), leechDir, peerOnlyTorrent, "--seed-time=0");
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

  /** The .torrent without {@code url-list} (outside the info dictionary: same info-hash). */
  private static byte[] withoutWebSeeds(byte[] torrent) {
    BDictionary.Builder copy = BDictionary.builder();
    BDictionary original = (BDictionary) BencodeDecoder.decode(torrent);
    for (Map.Entry<BString, BValue> entry : original.entries().entrySet()) {
      if (!entry.getKey().contentEquals("url-list")) {
        copy.put(entry.getKey(), entry.getValue());
      }
    }
    return BencodeEncoder.encode(copy.build());
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
