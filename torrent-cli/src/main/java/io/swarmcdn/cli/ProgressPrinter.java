package io.swarmcdn.cli;

import io.swarmcdn.torrent.jvm.hash.Progress;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Hashing progress on stderr, at most once a second, only for runs long enough to need it. On a
 * terminal the line is redrawn in place; otherwise (logs, pipes) each report is its own line.
 */
final class ProgressPrinter implements Progress {
  private static final long MIN_TOTAL = 64L << 20;
  private final PrintStream err;
  private final String verb;
  private final boolean inPlace = System.console() != null;
  private final long start = System.nanoTime();
  private long lastReport = start;
  private boolean printed;

  ProgressPrinter(PrintStream err, String verb) {
    this.err = err;
    this.verb = verb;
  }

  @Override
  public void update(long done, long total) {
    long now = System.nanoTime();
    if (total < MIN_TOTAL || now - lastReport < 1_000_000_000L) {
      return;
    }
    lastReport = now;
    printed = true;
    double seconds = (now - start) / 1e9;
    String line = String.format(Locale.ROOT, "%s: %3d%%  %s of %s  %s/s", verb, 100 * done / total,
        Sizes.human(done), Sizes.human(total), Sizes.human((long) (done / seconds)));
    err.print(inPlace ? "\r" + line : line + "\n");
    err.flush();
  }

  /** Ends the progress line and returns the elapsed seconds. */
  double done() {
    if (printed && inPlace) {
      err.println();
    }
    return (System.nanoTime() - start) / 1e9;
  }
}
