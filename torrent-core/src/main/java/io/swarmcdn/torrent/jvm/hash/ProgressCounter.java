package io.swarmcdn.torrent.jvm.hash;

/** Adds up bytes from several workers and reports them through one serialized {@link Progress}. */
final class ProgressCounter {
  private final Progress progress;
  private final long total;
  private long done;

  ProgressCounter(Progress progress, long total) {
    this.progress = progress;
    this.total = total;
  }

  synchronized void add(long bytes) {
    done += bytes;
    progress.update(done, total);
  }

  synchronized long done() {
    return done;
  }
}
