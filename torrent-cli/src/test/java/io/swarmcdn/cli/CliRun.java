package io.swarmcdn.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command of the CLI running in a thread of the test JVM (as {@code main} would run it), with
 * both output streams captured line by line. {@link #close()} interrupts it (a long-running
 * command such as {@code seed} stops as on Ctrl-C) and waits for it.
 */
final class CliRun implements AutoCloseable {

  /** Collects what a stream prints, line by line. */
  static final class Lines extends OutputStream {
    private final StringBuilder partial = new StringBuilder();
    private final List<String> lines = new ArrayList<>();

    @Override
    public synchronized void write(int b) {
      if (b == '\n') {
        lines.add(partial.toString());
        partial.setLength(0);
        notifyAll();
      } else {
        partial.append((char) b);
      }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      String s = new String(b, off, len, StandardCharsets.UTF_8);
      for (int i = 0; i < s.length(); i++) {
        write(s.charAt(i));
      }
    }

    synchronized List<String> lines() {
      return List.copyOf(lines);
    }

    /** Waits for a line starting with {@code prefix}; returns it, or throws after the timeout. */
    synchronized String await(String prefix, long timeoutMillis) throws InterruptedException, IOException {
      long end = System.currentTimeMillis() + timeoutMillis;
      while (true) {
        for (String line : lines) {
          if (line.startsWith(prefix)) {
            return line;
          }
        }
        long left = end - System.currentTimeMillis();
        if (left <= 0) {
          throw new IOException("no line starting with '" + prefix + "' in " + lines);
        }
        wait(left);
      }
    }

    @Override
    public synchronized String toString() {
      return String.join("\n", lines) + (partial.length() > 0 ? "\n" + partial : "");
    }
  }

  final Lines out = new Lines();
  final Lines err = new Lines();
  private final Thread thread;
  private volatile int exit = -1;

  CliRun(String... args) {
    Console console = new Console(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    thread = new Thread(() -> exit = TorrentCli.run(args, console), "cli-" + args[0]);
    thread.setDaemon(true);
    thread.start();
  }

  /** Waits for the command to finish; returns its exit status, or -1 if still running. */
  int await(long timeout, TimeUnit unit) throws InterruptedException {
    thread.join(unit.toMillis(timeout));
    return thread.isAlive() ? -1 : exit;
  }

  @Override
  public void close() throws InterruptedException {
    thread.interrupt();
    thread.join(15_000);
  }
}
