package io.swarmcdn.origin.library;

import io.swarmcdn.torrent.create.PieceLengths;
import io.swarmcdn.torrent.jvm.hash.ParallelPieceHasher;
import io.swarmcdn.torrent.metainfo.PieceLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hashes one library file (pieces on all cores) and reports the piece hashes, but only if the
 * file still has the state it had when the job was queued: a file modified while it was read
 * would otherwise get a torrent that does not match it.
 */
final class HashJob {
  private static final Logger log = LoggerFactory.getLogger(HashJob.class);
  private static final long LOG_EVERY_NANOS = 5_000_000_000L;

  /** Piece hashes of a file in a given state. */
  record Result(MediaPath path, FileState state, int pieceLength, byte[] pieces) {}

  private final MediaPath path;
  private final Path file;
  private final FileState state;
  private final HashProgress progress;
  private volatile boolean cancelled;

  HashJob(MediaPath path, Path file, FileState state) {
    this.path = path;
    this.file = file;
    this.state = state;
    this.progress = new HashProgress(path, state.size());
  }

  FileState state() {
    return state;
  }

  HashProgress progress() {
    return progress;
  }

  void cancel() {
    cancelled = true;
  }

  boolean isCancelled() {
    return cancelled;
  }

  /**
   * @return the result, or null when the job was cancelled or the file changed meanwhile
   */
  Result run(ParallelPieceHasher hasher) throws IOException {
    if (cancelled) {
      return null;
    }
    int pieceLength = PieceLengths.automatic(state.size());
    long start = System.nanoTime();
    long[] lastLog = {start};
    log.info("Hashing {} ({} bytes, {} KiB pieces)", path, state.size(), pieceLength / 1024);
    byte[] pieces = hasher.hash(PieceLayout.of(pieceLength, new long[] {state.size()}),
        List.of(file), (done, total) -> {
          progress.update(done);
          long now = System.nanoTime();
          if (now - lastLog[0] > LOG_EVERY_NANOS) {
            lastLog[0] = now;
            log.info("Hashing {}: {}%", path, Math.round(100 * progress.fraction()));
          }
        });
    if (cancelled || !FileState.of(file).equals(state)) {
      log.info("{} changed while it was hashed; hashing it again when it is stable", path);
      return null;
    }
    double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
    log.info("Hashed {} in {} s ({} MB/s)", path, String.format("%.2f", seconds),
        String.format("%.0f", state.size() / seconds / 1e6));
    return new Result(path, state, pieceLength, pieces);
  }
}
