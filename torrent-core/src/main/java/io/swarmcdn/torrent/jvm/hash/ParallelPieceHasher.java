package io.swarmcdn.torrent.jvm.hash;

import io.swarmcdn.torrent.metainfo.Info;
import io.swarmcdn.torrent.metainfo.PieceLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hashes torrent pieces (SHA-1, BEP 3) on all cores.
 *
 * <p>Memory stays bounded whatever the content size: from files, each worker holds one chunk of a
 * few MiB (whole pieces); from a stream, at most {@code 2 * threads + 1} batches are in flight and
 * {@link StreamingHasher#update} blocks when they are all busy.
 *
 * <p>One instance owns a pool of daemon threads; share it (it is thread-safe) and close it when
 * done.
 */
public final class ParallelPieceHasher implements AutoCloseable {
  private static final AtomicInteger POOLS = new AtomicInteger();
  private final int threads;
  private final ExecutorService executor;

  /** A hasher with one thread per available processor. */
  public ParallelPieceHasher() {
    this(Runtime.getRuntime().availableProcessors());
  }

  public ParallelPieceHasher(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be positive: " + threads);
    }
    this.threads = threads;
    int pool = POOLS.incrementAndGet();
    AtomicInteger n = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "piece-hasher-" + pool + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  public int threads() {
    return threads;
  }

  /**
   * The concatenated SHA-1s of the pieces of {@code files}, taken in this order as one byte
   * stream (pieces cross file boundaries, BEP 3). Sizes are read once at the start; a file that
   * shrinks meanwhile is an error.
   */
  public byte[] hash(List<Path> files, int pieceLength, Progress progress) throws IOException {
    long[] lengths = new long[files.size()];
    for (int i = 0; i < lengths.length; i++) {
      lengths[i] = Files.size(files.get(i));
    }
    return hash(PieceLayout.of(pieceLength, lengths), files, progress);
  }

  /** Like {@link #hash(List, int, Progress)} with the file sizes given by {@code layout}. */
  public byte[] hash(PieceLayout layout, List<Path> files, Progress progress) throws IOException {
    checkFiles(layout, files);
    return new FileHashJob(layout, files, true, progress).run(executor, threads);
  }

  /**
   * Checks every piece of {@code info} against {@code files} (in torrent order) and returns the
   * set of pieces whose data matches. Missing or short files only fail the pieces they cover.
   */
  public BitSet verify(Info info, List<Path> files, Progress progress) throws IOException {
    PieceLayout layout = info.layout();
    checkFiles(layout, files);
    FileHashJob job = new FileHashJob(layout, files, false, progress);
    byte[] digests = job.run(executor, threads);
    BitSet missing = job.missingPieces();
    BitSet good = new BitSet(layout.pieceCount());
    byte[] one = new byte[20];
    for (int i = 0; i < layout.pieceCount(); i++) {
      System.arraycopy(digests, 20 * i, one, 0, 20);
      if (!missing.get(i) && info.pieceHashEquals(i, one)) {
        good.set(i);
      }
    }
    return good;
  }

  /**
   * A hasher for content that arrives as a stream (e.g. an HTTP upload being written to disk):
   * complete pieces are hashed in parallel while bytes keep arriving, so there is no second read.
   */
  public StreamingHasher stream(int pieceLength, Progress progress) {
    if (pieceLength < 1) {
      throw new IllegalArgumentException("piece length must be positive: " + pieceLength);
    }
    return new StreamingHasher(executor, 2 * threads + 1, pieceLength, progress);
  }

  private static void checkFiles(PieceLayout layout, List<Path> files) {
    if (files.size() != layout.fileCount()) {
      throw new IllegalArgumentException(
          files.size() + " paths for " + layout.fileCount() + " files");
    }
  }

  /** Stops the worker threads; running jobs fail. */
  @Override
  public void close() {
    executor.shutdownNow();
  }
}
