package io.swarmcdn.cli;

/** The command line is wrong (unknown option, missing argument...): exit 2 with usage. */
final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
