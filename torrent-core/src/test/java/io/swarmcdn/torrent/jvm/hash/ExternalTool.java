package io.swarmcdn.torrent.jvm.hash;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a reference tool (mktorrent, python3-libtorrent) with a deadline; never leaves it running. */
final class ExternalTool {
  private ExternalTool() {}

  record Result(int exit, String output) {}

  static Result run(Path workDir, List<String> command) throws IOException, InterruptedException {
    if (!Files.isExecutable(Path.of(command.get(0)))) {
      throw new AssertionError(command.get(0) + " is missing: run bin/install-prerequisites");
    }
    Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
    try {
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        throw new AssertionError("timed out: " + command);
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } finally {
      p.destroyForcibly();
    }
  }
}
