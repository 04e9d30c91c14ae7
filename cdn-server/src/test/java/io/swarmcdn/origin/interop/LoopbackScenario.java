package io.swarmcdn.origin.interop;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one scenario of {@code interop-tests/run-scenario.mjs} (real clients: WebTorrent in headless
 * Chromium, npm bittorrent-tracker) inside a fresh loopback-only network namespace, against the
 * packaged origin jar, and returns its JSON report.
 *
 * <p>Why a separate process tree instead of an in-process Spring context: WebRTC between two
 * Chromium pages needs a network namespace that has only {@code lo} (shared/TEST-ENVIRONMENT.md),
 * and the tracker must be reachable from inside it. The JVM running the tests cannot move into a
 * namespace, so the scenario runner, started under {@code unshare -n}, launches the packaged origin
 * jar, the pages' HTTP server and Chromium itself. That is also why these are Failsafe tests: they
 * run after {@code package}, against the real executable jar.
 */
public final class LoopbackScenario {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** The settings under which the origin's tracker accepts any info-hash (not just published ones). */
  public static final List<String> ALLOW_ANY_INFO_HASH = List.of("--swarmcdn.tracker.allow-any-info-hash=true");

  private LoopbackScenario() {}

  /**
   * Runs {@code scenario} against our origin and returns the report. Skips (JUnit assumption) only
   * when this machine cannot create a network namespace; a missing jar, node or npm dependency is a
   * failure with a message telling what to run.
   */
  public static JsonNode run(String scenario, int timeoutSeconds) throws IOException, InterruptedException {
    assumeTrue(canCreateNetworkNamespace(),
        "skipped: needs root (or unshare rights) to create a loopback-only network namespace for WebRTC");
    Path interop = interopTestsDir();
    if (!Files.isDirectory(interop.resolve("node_modules/webtorrent"))) {
      fail("interop-tests/node_modules is missing: run bin/install-prerequisites first");
    }
    Path jar = Path.of(System.getProperty("swarmcdn.origin.jar", "target/cdn-server-0.1.0-SNAPSHOT.jar"));
    if (!Files.isRegularFile(jar)) {
      fail("origin jar " + jar.toAbsolutePath() + " is missing: run ./mvnw verify (package comes first)");
    }
    Path logs = Files.createDirectories(Path.of("target", "interop-logs"));
    Path log = logs.resolve(scenario + ".log").toAbsolutePath();
    Path report = logs.resolve(scenario + ".json").toAbsolutePath();
    Files.deleteIfExists(report);
    List<String> command = new ArrayList<>(List.of(
        interop.resolve("in-loopback-netns").toString(), "node", interop.resolve("run-scenario.mjs").toString(),
        "--scenario", scenario, "--tracker", "ours", "--report", report.toString(),
        "--timeout", Integer.toString(timeoutSeconds),
        "--origin-jar", jar.toAbsolutePath().toString(),
        "--java", Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    for (String arg : ALLOW_ANY_INFO_HASH) {
      command.add("--origin-arg=" + arg);
    }
    Process process = new ProcessBuilder(command)
        .directory(interop.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    try {
      // The runner has its own deadline; this one only catches a runner that hangs on exit.
      if (!process.waitFor(timeoutSeconds + 30L, TimeUnit.SECONDS)) {
        fail("scenario " + scenario + " did not end within " + (timeoutSeconds + 30) + " s; log: " + log);
      }
      if (!Files.isRegularFile(report)) {
        fail("scenario " + scenario + " wrote no report (exit status " + process.exitValue() + "); log: " + log);
      }
      JsonNode json = JSON.readTree(Files.readString(report));
      if (!json.path("ok").asBoolean(false)) {
        fail("scenario " + scenario + " failed: " + json.path("error").asString("(no error message)") + "; log: " + log);
      }
      // Kept in target/interop-logs/ next to the runner's log, for whoever reads a failed assertion.
      return json.path("result");
    } finally {
      destroyTree(process);
    }
  }

  /**
   * Asks the runner to end first (SIGTERM: it kills its children, writes its report and removes
   * the origin's temp folder), and kills whatever is left after a few seconds.
   */
  private static void destroyTree(Process process) throws InterruptedException {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (tree.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    tree.forEach(ProcessHandle::destroyForcibly);
  }

  private static boolean canCreateNetworkNamespace() {
    try {
      Process probe = new ProcessBuilder("unshare", "-n", "true").redirectErrorStream(true).start();
      probe.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
      return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** {@code interop-tests/} at the repository root; Failsafe runs with the module as working dir. */
  static Path interopTestsDir() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("interop-tests"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      fail("interop-tests/ not found above " + Path.of("").toAbsolutePath());
    }
    return dir.resolve("interop-tests");
  }
}
