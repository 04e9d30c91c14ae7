package io.swarmcdn.cli;

import java.util.List;

/** One subcommand of bin/swarmcdn-torrent. Register new ones in {@link TorrentCli#COMMANDS}. */
interface Command {
  /** The word that selects the command, e.g. "create". */
  String name();

  /** One line for the command list. */
  String summary();

  /** Full usage text (syntax and options), shown by {@code COMMAND --help} and on bad usage. */
  String usage();

  /**
   * Runs the command.
   *
   * @return the exit status (0 = success)
   * @throws UsageException for bad arguments (exit 2, usage printed)
   * @throws Exception any other failure: its message is shown, without a stack trace (exit 1)
   */
  int run(List<String> args, Console console) throws Exception;
}
