package io.swarmcdn.cli;

import io.swarmcdn.torrent.engine.TorrentEngine;
import io.swarmcdn.torrent.jvm.hash.ParallelPieceHasher;
import io.swarmcdn.torrent.jvm.hash.TorrentFiles;
import io.swarmcdn.torrent.jvm.storage.FilePieceStorage;
import io.swarmcdn.torrent.metainfo.Info;
import io.swarmcdn.torrent.metainfo.Metainfo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code seed FILE.torrent PATH}: serve existing content to BitTorrent peers over TCP until
 * stopped (Ctrl-C, SIGTERM), then print what was uploaded.
 */
final class SeedCommand implements Command {
  static final int DEFAULT_PORT = 6881;
  /** How often the upload total is reported on stderr while it changes. */
  private static final long REPORT_SECONDS = 10;

  @Override
  public String name() {
    return "seed";
  }

  @Override
  public String summary() {
    return "serve a torrent's content to peers over TCP until stopped";
  }

  @Override
  public String usage() {
    return "usage: " + TorrentCli.PROGRAM + " seed FILE.torrent PATH [--port P] [--bind ADDR]"
        + " [--tracker URL]...\n"
        + "  PATH is the content (as for verify); every piece is checked before serving.\n"
        + "  --port P        TCP port to listen on (default " + DEFAULT_PORT + "; 0 = any free port)\n"
        + "  --bind ADDR     address to listen on: 0.0.0.0 (default, all interfaces), 127.0.0.1...\n"
        + "  --tracker URL   also announce to this HTTP tracker (the torrent's own are used too)\n"
        + "Prints 'listening on ADDR:PORT' once serving; on Ctrl-C/SIGTERM prints the bytes uploaded.\n";
  }

  @Override
  public int run(List<String> args, Console console) throws Exception {
    Args a = Args.parse(args, Set.of("--port", "--bind", "--tracker"), Set.of(), Map.of());
    List<String> p = a.positional(2, "FILE.torrent PATH");
    Metainfo m = InfoCommand.read(Path.of(p.get(0)));
    Path content = Path.of(p.get(1));
    if (!Files.exists(content)) {
      throw new NoSuchFileException(content.toString());
    }
    InetSocketAddress bind = bindAddress(a, DEFAULT_PORT);
    Info info = m.info();
    FilePieceStorage storage = FilePieceStorage.forSeeding(TorrentFiles.locate(info, content), info);
    ProgressPrinter progress = new ProgressPrinter(console.err(), "checking");
    int have;
    try (ParallelPieceHasher hasher = new ParallelPieceHasher()) {
      have = storage.checkExisting(hasher, progress);
    } catch (IOException | RuntimeException e) {
      storage.close();
      throw e;
    }
    progress.done();
    if (have == 0) {
      storage.close();
      throw new IOException(content + " does not match the torrent: no piece verifies");
    }
    if (have < info.pieceCount()) {
      console.err().println("warning: only " + have + " of " + info.pieceCount()
          + " pieces verify; serving those");
    }
    SwarmEvents events = new SwarmEvents(console.err());
    TcpSwarm swarm;
    try {
      swarm = TcpSwarm.start(TorrentEngine.builder().metainfo(m), i -> storage, events, bind);
    } catch (IOException | RuntimeException e) {
      storage.close();
      throw e;
    }
    List<String> trackers = new ArrayList<>(a.all("--tracker"));
    trackers.addAll(m.trackers());
    swarm.announce(trackers, m.infoHash(), console.err());
    console.out().println("listening on " + hostPort(swarm.listening));
    console.out().flush();

    AtomicBoolean stopped = new AtomicBoolean();
    CountDownLatch finished = new CountDownLatch(1);
    Runnable stop = () -> {
      if (stopped.compareAndSet(false, true)) {
        TcpSwarm.Stats s = swarm.stats();
        swarm.close();
        console.out().println("uploaded " + s.uploaded() + " bytes (" + Sizes.human(s.uploaded()) + ")");
        console.out().flush();
        finished.countDown();
      }
    };
    Thread hook = new Thread(() -> {
      stop.run();
      try {
        finished.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "swarmcdn-seed-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    boolean interrupted = false;
    try {
      long reported = -1;
      while (!finished.await(REPORT_SECONDS, TimeUnit.SECONDS)) {
        TcpSwarm.Stats s = swarm.stats();
        if (s.uploaded() != reported) {
          reported = s.uploaded();
          console.err().println("uploaded " + Sizes.human(s.uploaded()) + ", " + s.peers() + " peers");
        }
      }
    } catch (InterruptedException e) {
      // stopped by the caller (tests, embedding): same as a signal. The flag is restored only
      // after the totals are read, which waits on the engine's thread.
      interrupted = true;
    } finally {
      stop.run();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it printed the totals
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  static InetSocketAddress bindAddress(Args a, int defaultPort) throws UsageException {
    String bind = a.value("--bind") == null ? "0.0.0.0" : a.value("--bind");
    int port = defaultPort;
    if (a.value("--port") != null) {
      try {
        port = Integer.parseInt(a.value("--port"));
      } catch (NumberFormatException e) {
        throw new UsageException("--port must be a number: " + a.value("--port"));
      }
      if (port < 0 || port > 65535) {
        throw new UsageException("--port out of range: " + port);
      }
    }
    InetSocketAddress address = new InetSocketAddress(bind, port);
    if (address.isUnresolved()) {
      throw new UsageException("--bind: unknown address " + bind);
    }
    return address;
  }

  static String hostPort(InetSocketAddress a) {
    String host = a.getAddress().getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
  }
}
