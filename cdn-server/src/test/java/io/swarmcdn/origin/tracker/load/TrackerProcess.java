package io.swarmcdn.origin.tracker.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tracker server process under load: our origin jar or npm bittorrent-tracker's server. Reads
 * the process's resident set and CPU time from /proc, and its live heap after a forced full GC
 * ({@code jcmd} for the JVM, {@code global.gc()} + {@code process.memoryUsage()} for node).
 */
abstract class TrackerProcess implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final Process process;
  final URI announceUri;

  private TrackerProcess(Process process, URI announceUri) {
    this.process = process;
    this.announceUri = announceUri;
  }

  abstract String name();

  /** Bytes of live heap after a full GC. */
  abstract long liveHeapBytes() throws IOException, InterruptedException;

  long rssBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IOException("no VmRSS for " + process.pid());
  }

  /** User + system CPU time of the process, in seconds (clock ticks of 1/100 s on Linux). */
  double cpuSeconds() throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
  }

  @Override
  public void close() {
    // SIGTERM first, so that a JVM can write a flight recording asked for with --origin-java-options.
    process.destroy();
    try {
      process.waitFor(15, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  /** Our origin: the executable jar, any info-hash allowed and the per-socket rate limit lifted. */
  static TrackerProcess origin(Path jar, Path workDir, String heap, List<String> javaOptions)
      throws IOException, InterruptedException {
    int port = freePort();
    Files.createDirectories(workDir.resolve("media"));
    Files.createDirectories(workDir.resolve("data"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xms" + heap, "-Xmx" + heap));
    command.addAll(javaOptions);
    command.addAll(List.of("-jar", jar.toString(),
        "--server.address=127.0.0.1", "--server.port=" + port,
        "--swarmcdn.media-dir=" + workDir.resolve("media"), "--swarmcdn.data-dir=" + workDir.resolve("data"),
        "--swarmcdn.public-url=http://127.0.0.1:" + port,
        "--swarmcdn.tracker.allow-any-info-hash=true",
        "--swarmcdn.tracker.websocket.announce-rate=1000000",
        "--swarmcdn.tracker.websocket.announce-burst=1000000",
        "--swarmcdn.tracker.websocket.max-sockets=100000",
        "--logging.level.root=WARN"));
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(workDir.resolve("origin.log").toFile()).start();
    TrackerProcess origin = new TrackerProcess(process, URI.create("ws://127.0.0.1:" + port + "/announce")) {
      @Override
      String name() {
        return "swarmcdn";
      }

      @Override
      long liveHeapBytes() throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        run(jcmd, Long.toString(process.pid()), "GC.run");
        Matcher used = Pattern.compile("used (\\d+)K").matcher(run(jcmd, Long.toString(process.pid()), "GC.heap_info"));
        if (!used.find()) {
          throw new IOException("cannot read heap of " + process.pid());
        }
        return Long.parseLong(used.group(1)) * 1024;
      }
    };
    waitUntilHealthy(origin, URI.create("http://127.0.0.1:" + port + "/actuator/health"));
    return origin;
  }

  /** npm bittorrent-tracker's server, WebSocket only, via interop-tests/bench/reference-tracker.mjs. */
  static TrackerProcess reference(Path interopTests) throws IOException {
    Process process = new ProcessBuilder("node", "--expose-gc", interopTests.resolve("bench/reference-tracker.mjs").toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    Matcher ports = Pattern.compile("\"port\":(\\d+),\"memoryPort\":(\\d+)").matcher(line == null ? "" : line);
    if (!ports.find()) {
      process.destroyForcibly();
      throw new IOException("reference tracker did not start: " + line);
    }
    URI memory = URI.create("http://127.0.0.1:" + ports.group(2) + "/");
    return new TrackerProcess(process, URI.create("ws://127.0.0.1:" + ports.group(1))) {
      @Override
      String name() {
        return "bittorrent-tracker";
      }

      @Override
      long liveHeapBytes() throws IOException, InterruptedException {
        String json = HTTP.send(HttpRequest.newBuilder(memory).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        Matcher used = Pattern.compile("\"heapUsed\":(\\d+)").matcher(json);
        if (!used.find()) {
          throw new IOException("cannot read heap from " + json);
        }
        return Long.parseLong(used.group(1));
      }
    };
  }

  private static void waitUntilHealthy(TrackerProcess server, URI health) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (!server.process.isAlive()) {
        throw new IOException("origin exited with " + server.process.exitValue());
      }
      try {
        if (HTTP.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(250);
    }
    server.close();
    throw new IOException("origin not healthy after 90 s");
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor(60, TimeUnit.SECONDS);
    return output;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
