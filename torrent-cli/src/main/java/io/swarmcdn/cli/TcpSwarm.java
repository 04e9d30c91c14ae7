package io.swarmcdn.cli;

import io.swarmcdn.torrent.engine.EngineListener;
import io.swarmcdn.torrent.engine.TorrentEngine;
import io.swarmcdn.torrent.jvm.engine.PooledPieceHasher;
import io.swarmcdn.torrent.jvm.hash.JdkSha1;
import io.swarmcdn.torrent.jvm.tcp.TcpTransport;
import io.swarmcdn.torrent.jvm.tracker.Announcer;
import io.swarmcdn.torrent.jvm.tracker.HttpTrackerClient;
import io.swarmcdn.torrent.metainfo.Info;
import io.swarmcdn.torrent.metainfo.InfoHash;
import io.swarmcdn.torrent.peerwire.Bitfield;
import io.swarmcdn.torrent.picker.RarestFirstPicker;
import io.swarmcdn.torrent.storage.PieceStorage;
import io.swarmcdn.torrent.tracker.PeerAddress;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/** What {@code seed} and {@code download} share: a torrent engine on TCP, and its trackers. */
final class TcpSwarm implements AutoCloseable {

  /** Statistics read on the engine's thread. */
  record Stats(long uploaded, long downloaded, long verifiedBytes, long totalBytes, int peers,
      boolean complete) {}

  /**
   * What to report as {@code left} before a magnet's metadata tells the size: not zero, since a
   * tracker takes {@code left=0} for a seeder.
   */
  private static final long UNKNOWN_LEFT = 16 * 1024;

  /** Pieces are verified on these threads while the engine's thread keeps moving bytes. */
  private static final int HASH_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);

  final TorrentEngine engine;
  final TcpTransport transport;
  final InetSocketAddress listening;
  private final PooledPieceHasher hasher;
  private Announcer announcer;

  private TcpSwarm(TorrentEngine engine, TcpTransport transport, PooledPieceHasher hasher,
      InetSocketAddress listening) {
    this.engine = engine;
    this.transport = transport;
    this.hasher = hasher;
    this.listening = listening;
  }

  /**
   * Builds the engine (default picker, JDK SHA-1 on worker threads, wall clock), listens on
   * {@code bind}, runs.
   */
  static TcpSwarm start(TorrentEngine.Builder builder, Function<Info, PieceStorage> storage,
      EngineListener listener, InetSocketAddress bind) throws IOException {
    SecureRandom random = new SecureRandom();
    // Digests come back through the transport's loop, which exists only once the engine does.
    AtomicReference<TcpTransport> loop = new AtomicReference<>();
    PooledPieceHasher hasher = new PooledPieceHasher(HASH_THREADS, task -> loop.get().execute(task));
    TorrentEngine engine = builder.storage(storage)
        .picker(layout -> new RarestFirstPicker(layout, random.nextLong()))
        .sha1(new JdkSha1())
        .hasher(hasher)
        .clock(() -> System.nanoTime() / 1_000_000)
        .listener(listener)
        .build();
    TcpTransport transport = new TcpTransport(engine, TcpTransport.DEFAULT_MAX_CONNECTIONS);
    loop.set(transport);
    try {
      InetSocketAddress at = transport.listen(bind);
      transport.start();
      return new TcpSwarm(engine, transport, hasher, at);
    } catch (IOException | RuntimeException e) {
      transport.close();
      hasher.close();
      throw e;
    }
  }

  void connect(List<PeerAddress> peers) {
    for (PeerAddress p : peers) {
      transport.connect(new InetSocketAddress(p.host(), p.port()));
    }
  }

  /** Announces to the HTTP(S) trackers among {@code urls} (others are skipped). */
  void announce(List<String> urls, InfoHash infoHash, PrintStream log) {
    Announcer a = new Announcer(new HttpTrackerClient(Duration.ofSeconds(15)), urls, infoHash,
        engine.peerId(), listening.getPort(), this::totals, this::connect, log::println);
    if (a.trackers().isEmpty()) {
      return;
    }
    announcer = a;
    a.start();
  }

  /** Tells the trackers the download is complete. */
  void completed() {
    if (announcer != null) {
      announcer.completed();
    }
  }

  private Announcer.Totals totals() {
    Stats s = stats();
    long left = s.totalBytes < 0 ? UNKNOWN_LEFT : s.totalBytes - s.verifiedBytes;
    return new Announcer.Totals(s.uploaded, s.downloaded, left);
  }

  Stats stats() {
    try {
      return transport.call(() -> {
        Info info = engine.info();
        long total = info == null ? -1 : info.totalLength();
        long verified = 0;
        Bitfield have = engine.verifiedPieces();
        if (have != null) {
          verified = Math.min(total, (long) have.cardinality() * info.pieceLength());
          if (have.isComplete()) {
            verified = total;
          }
        }
        int peers = 0;
        for (var p : engine.peers()) {
          if (!p.isClosed()) {
            peers++;
          }
        }
        return new Stats(engine.uploadedBytes(), engine.downloadedBytes(), verified, total, peers,
            engine.isComplete());
      });
    } catch (IOException e) {
      return new Stats(0, 0, 0, -1, 0, false);
    }
  }

  @Override
  public void close() {
    if (announcer != null) {
      announcer.close();
    }
    transport.close();
    hasher.close();
  }
}
