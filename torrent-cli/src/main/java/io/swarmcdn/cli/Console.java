package io.swarmcdn.cli;

import java.io.PrintStream;

/** Where a command writes: results to {@code out}, progress and errors to {@code err}. */
record Console(PrintStream out, PrintStream err) {}
