package io.swarmcdn.origin.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * Regression: a scenario runner that ended through its hard timeout or a signal, not through the
 * scenario's own end, left the origin's {@code swarmcdn-origin-*} folder behind in the temp dir.
 * The runner gets a temp dir of its own ({@code TMPDIR}) so that what it leaves can be seen.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ScenarioRunnerCleanupIT {
  @TempDir Path tmp;

  private Process runner(Path report, int timeoutSeconds) throws Exception {
    Path interop = LoopbackScenario.interopTestsDir();
    ProcessBuilder builder = new ProcessBuilder("node", interop.resolve("run-scenario.mjs").toString(),
        "--scenario", "npm-client", "--tracker", "ours", "--report", report.toString(),
        "--timeout", Integer.toString(timeoutSeconds),
        "--origin-jar", Path.of("target/cdn-server-0.1.0-SNAPSHOT.jar").toAbsolutePath().toString(),
        "--java", Path.of(System.getProperty("java.home"), "bin", "java").toString())
        .directory(interop.toFile())
        .redirectErrorStream(true)
        .redirectOutput(tmp.resolve("runner.log").toFile());
    builder.environment().put("TMPDIR", tmp.resolve("runner-tmp").toString());
    Files.createDirectories(tmp.resolve("runner-tmp"));
    return builder.start();
  }

  private List<Path> originFolders() throws Exception {
    try (Stream<Path> entries = Files.list(tmp.resolve("runner-tmp"))) {
      return entries.filter(p -> p.getFileName().toString().startsWith("swarmcdn-origin-")).toList();
    }
  }

  @Test
  void theHardTimeoutRemovesTheOriginsFolder() throws Exception {
    Path report = tmp.resolve("timeout.json");
    // Two seconds: the origin (a Spring Boot jar) is still starting when the runner gives up.
    Process process = runner(report, 2);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(JsonMapper.builder().build().readTree(Files.readString(report)).path("error").asString())
        .contains("timed out");
    assertThat(originFolders()).isEmpty();
  }

  @Test
  void aTermSignalRemovesTheOriginsFolder() throws Exception {
    Path report = tmp.resolve("signal.json");
    Process process = runner(report, 90);
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (originFolders().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(originFolders()).as("the runner created the origin's folder").hasSize(1);
      process.destroy(); // SIGTERM
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(Files.readString(report)).contains("killed by SIGTERM");
      assertThat(originFolders()).isEmpty();
    } finally {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }
}
