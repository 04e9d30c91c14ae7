package io.swarmcdn.cli;

import io.swarmcdn.torrent.bencode.BencodeException;
import io.swarmcdn.torrent.metainfo.MetainfoException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.List;

/**
 * Entry point of bin/swarmcdn-torrent: a tiny dispatcher in front of one class per command.
 *
 * <p>Exit status: 0 success, 1 failure (bad input, I/O error, pieces that do not verify), 2 wrong
 * usage. User errors print one line, never a stack trace.
 */
public final class TorrentCli {
  static final String PROGRAM = "swarmcdn-torrent";

  /** Every command; add a new one here. */
  private static final List<Command> COMMANDS =
      List.of(new CreateCommand(), new InfoCommand(), new VerifyCommand(), new SeedCommand(),
          new DownloadCommand());

  private TorrentCli() {}

  public static void main(String[] args) {
    System.exit(run(args, new Console(System.out, System.err)));
  }

  /** Runs the command line and returns the exit status (for tests: no System.exit). */
  static int run(String[] args, Console console) {
    if (args.length == 0) {
      console.err().print(usage());
      return 2;
    }
    String name = args[0];
    if (name.equals("--help") || name.equals("-h") || name.equals("help")) {
      console.out().print(usage());
      return 0;
    }
    Command command = COMMANDS.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
    if (command == null) {
      console.err().println(PROGRAM + ": unknown command '" + name + "'");
      console.err().print(usage());
      return 2;
    }
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    if (rest.contains("--help") || rest.contains("-h")) {
      console.out().print(command.usage());
      return 0;
    }
    try {
      return command.run(rest, console);
    } catch (UsageException e) {
      console.err().println(PROGRAM + " " + name + ": " + e.getMessage());
      console.err().print(command.usage());
      return 2;
    } catch (NoSuchFileException e) {
      return fail(console.err(), "no such file or directory: " + e.getFile());
    } catch (AccessDeniedException e) {
      return fail(console.err(), "permission denied: " + e.getFile());
    } catch (IOException | MetainfoException | BencodeException | IllegalArgumentException e) {
      return fail(console.err(), e.getMessage() == null ? e.toString() : e.getMessage());
    } catch (Exception e) {
      console.err().println(PROGRAM + ": internal error (please report):");
      e.printStackTrace(console.err());
      return 1;
    }
  }

  private static int fail(PrintStream err, String message) {
    err.println(PROGRAM + ": error: " + message);
    return 1;
  }

  static String usage() {
    StringBuilder s = new StringBuilder();
    s.append("usage: ").append(PROGRAM).append(" COMMAND [ARGS...]\n\ncommands:\n");
    for (Command c : COMMANDS) {
      s.append(String.format("  %-8s %s%n", c.name(), c.summary()));
    }
    s.append("\n").append(PROGRAM).append(" COMMAND --help shows a command's options.\n");
    return s.toString();
  }
}
