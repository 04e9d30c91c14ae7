package io.swarmcdn.cli;

import io.swarmcdn.torrent.engine.TorrentEngine;
import io.swarmcdn.torrent.jvm.hash.ParallelPieceHasher;
import io.swarmcdn.torrent.jvm.hash.Progress;
import io.swarmcdn.torrent.jvm.storage.FilePieceStorage;
import io.swarmcdn.torrent.magnet.MagnetUri;
import io.swarmcdn.torrent.metainfo.Info;
import io.swarmcdn.torrent.metainfo.InfoHash;
import io.swarmcdn.torrent.metainfo.Metainfo;
import io.swarmcdn.torrent.storage.PieceStorage;
import io.swarmcdn.torrent.tracker.PeerAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code download (FILE.torrent|MAGNET)}: fetch a torrent from peers over TCP (the info dictionary
 * too, for a magnet, BEP 9) into a directory. Exit 0 only when every piece is verified.
 */
final class DownloadCommand implements Command {
  /** Peers given with --peer are dialled again this often while not connected. */
  private static final long RECONNECT_MILLIS = 5_000;
  private static final long PROGRESS_MILLIS = 250;

  @Override
  public String name() {
    return "download";
  }

  @Override
  public String summary() {
    return "download a torrent or magnet link from peers over TCP";
  }

  @Override
  public String usage() {
    return "usage: " + TorrentCli.PROGRAM + " download (FILE.torrent|MAGNET) [--peer HOST:PORT]..."
        + " [--tracker URL]... [-o DIR]\n"
        + "  -o, --output DIR   where the files go (default: the current directory); data already\n"
        + "                     there is checked and kept (resume)\n"
        + "  --peer HOST:PORT   a peer to connect to (repeatable; IPv6 as [ADDR]:PORT)\n"
        + "  --tracker URL      an HTTP tracker to announce to (repeatable; the torrent's or the\n"
        + "                     magnet's own trackers are used too)\n"
        + "  --port P           TCP port to accept peers on (default 0: any free port)\n"
        + "  --bind ADDR        address to accept peers on (default 0.0.0.0)\n"
        + "  --timeout SECONDS  give up (exit 1) if not complete by then (default: never)\n"
        + "Progress goes to stderr. Exit status 0 only when every piece is verified.\n";
  }

  @Override
  public int run(List<String> args, Console console) throws Exception {
    Args a = Args.parse(args, Set.of("--peer", "--tracker", "--output", "--port", "--bind", "--timeout"),
        Set.of(), Map.of("-o", "--output"));
    String source = a.positional(1, "FILE.torrent or MAGNET").get(0);
    List<PeerAddress> peers = new ArrayList<>();
    for (String peer : a.all("--peer")) {
      try {
        peers.add(PeerAddress.parse(peer));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--peer: " + e.getMessage());
      }
    }
    long timeoutMillis = a.value("--timeout") == null ? 0 : seconds(a.value("--timeout")) * 1000;
    Path out = Path.of(a.value("--output") == null ? "." : a.value("--output"));
    Files.createDirectories(out);

    TorrentEngine.Builder builder = TorrentEngine.builder();
    List<String> trackers = new ArrayList<>(a.all("--tracker"));
    InfoHash infoHash;
    String name;
    if (source.startsWith("magnet:")) {
      MagnetUri magnet = MagnetUri.parse(source);
      infoHash = magnet.infoHash();
      name = magnet.displayName() != null ? magnet.displayName() : infoHash.hex();
      trackers.addAll(magnet.trackers());
      builder.magnet(infoHash);
    } else {
      Metainfo m = InfoCommand.read(Path.of(source));
      infoHash = m.infoHash();
      name = m.info().name();
      trackers.addAll(m.trackers());
      builder.metainfo(m);
    }
    if (peers.isEmpty() && trackers.isEmpty()) {
      throw new UsageException("no peers to download from: give --peer or --tracker");
    }

    SwarmEvents events = new SwarmEvents(console.err());
    long start = System.nanoTime();
    try (TcpSwarm swarm = TcpSwarm.start(builder, info -> openStorage(out, info, events),
        events, SeedCommand.bindAddress(a, 0))) {
      swarm.connect(peers);
      swarm.announce(trackers, infoHash, console.err());
      ProgressPrinter progress = new ProgressPrinter(console.err(), "downloading " + name);
      long lastDial = System.nanoTime();
      while (!events.complete.await(PROGRESS_MILLIS, TimeUnit.MILLISECONDS)) {
        TcpSwarm.Stats s = swarm.stats();
        if (s.complete()) {
          break; // e.g. everything was already on disk: no completion event ever comes
        }
        if (s.totalBytes() > 0) {
          progress.update(s.verifiedBytes(), s.totalBytes());
        }
        if (System.nanoTime() - lastDial > RECONNECT_MILLIS * 1_000_000) {
          lastDial = System.nanoTime();
          swarm.connect(peers); // already-connected and banned peers are skipped
        }
        if (timeoutMillis > 0 && System.nanoTime() - start > timeoutMillis * 1_000_000) {
          progress.done();
          throw new IOException("timed out after " + timeoutMillis / 1000 + " s with "
              + Sizes.human(s.verifiedBytes()) + " of " + Sizes.human(Math.max(0, s.totalBytes()))
              + " verified");
        }
      }
      progress.done();
      if (events.fatal() != null) {
        throw new IOException(events.fatal());
      }
      swarm.completed();
      TcpSwarm.Stats s = swarm.stats();
      double seconds = (System.nanoTime() - start) / 1e9;
      console.out().println(String.format(Locale.ROOT,
          "downloaded %s: %d bytes in %.1f s (%.1f MB/s), every piece verified", name,
          s.totalBytes(), seconds, s.totalBytes() / seconds / 1e6));
      return 0;
    }
  }

  /**
   * The files under {@code out}, with what is already there checked (resume). Runs on the
   * engine's thread when a magnet's metadata arrives; a failure there ends the download.
   */
  private static PieceStorage openStorage(Path out, Info info, SwarmEvents events) {
    try {
      FilePieceStorage storage = FilePieceStorage.forDownload(out, info);
      try (ParallelPieceHasher hasher = new ParallelPieceHasher()) {
        storage.checkExisting(hasher, Progress.NONE);
      }
      return storage;
    } catch (IOException | RuntimeException e) {
      events.fail("cannot store " + info.name() + " in " + out + ": " + e.getMessage());
      throw new IllegalStateException(e);
    }
  }

  private static long seconds(String s) throws UsageException {
    try {
      long v = Long.parseLong(s);
      if (v <= 0) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new UsageException("--timeout must be a positive number of seconds: " + s);
    }
  }
}
