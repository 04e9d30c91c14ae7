package io.swarmcdn.origin.tracker.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark behind {@code bench/tracker-load}: the same WebSocket load against our tracker
 * (the origin jar, {@code -Xmx512m}) and against npm bittorrent-tracker's server, one after the
 * other, printed side by side. Not a test: run it by hand; figures depend on the machine.
 *
 * <p>Per tracker: {@code --peers} peers join swarms of {@code --swarm-size}; a closed loop of plain
 * announces measures announces/s; a closed loop of announces with {@code --offers} offers each, every
 * forwarded offer answered, measures relayed offers/s and the offer relay latency; both loops
 * first run unmeasured for {@code --warmup} seconds, as both servers compile at run time. Then all
 * disconnect, {@code --memory-peers} peers join, and the server's live heap (after a full GC) and
 * RSS are divided by the number of connected peers, net of the idle server's baseline.
 *
 * <pre>
 * TrackerLoadBenchmark --jar cdn-server/target/cdn-server-0.1.0-SNAPSHOT.jar --interop-tests interop-tests
 *     [--peers 5000] [--memory-peers 20000] [--swarm-size 50] [--offers 5] [--seconds 15]
 *     [--warmup 40] [--threads 2] [--only swarmcdn|bittorrent-tracker] [--origin-java-options "-XX:..."]
 * </pre>
 */
public final class TrackerLoadBenchmark {

  /** Seconds a measured loop runs before its counters are read, so that it measures steady state. */
  private static final double SETTLE_SECONDS = 2;

  private final Map<String, String> options;

  private TrackerLoadBenchmark(Map<String, String> options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>(Map.of("peers", "5000", "memory-peers", "20000",
        "swarm-size", "50", "offers", "5", "seconds", "15", "warmup", "40", "threads", "2", "heap", "512m"));
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    new TrackerLoadBenchmark(options).run();
    System.exit(0);
  }

  private void run() throws Exception {
    String only = options.get("only");
    List<Map<String, String>> columns = new ArrayList<>();
    if (only == null || only.equals("swarmcdn")) {
      Path work = Files.createTempDirectory("swarmcdn-tracker-load-");
      List<String> javaOptions = options.containsKey("origin-java-options")
          ? List.of(options.get("origin-java-options").trim().split("\\s+")) : List.of();
      columns.add(measure(() -> TrackerProcess.origin(Path.of(options.get("jar")), work, options.get("heap"), javaOptions)));
    }
    if (only == null || only.equals("bittorrent-tracker")) {
      columns.add(measure(() -> TrackerProcess.reference(Path.of(options.get("interop-tests")))));
    }
    print(columns);
  }

  interface Starter {
    TrackerProcess start() throws Exception;
  }

  private Map<String, String> measure(Starter starter) throws Exception {
    int peers = Integer.parseInt(options.get("peers"));
    int memoryPeers = Math.min(Integer.parseInt(options.get("memory-peers")), maxSocketsPerProcess());
    int swarmSize = Integer.parseInt(options.get("swarm-size"));
    int offers = Integer.parseInt(options.get("offers"));
    double seconds = Double.parseDouble(options.get("seconds"));
    double warmup = Double.parseDouble(options.get("warmup"));
    int threads = Integer.parseInt(options.get("threads"));
    Map<String, String> column = new LinkedHashMap<>();
    try (TrackerProcess server = starter.start()) {
      column.put("tracker", server.name());
      log(server.name() + ": started, pid " + server.process.pid() + ", " + server.announceUri);
      long baseHeap = server.liveHeapBytes();
      long baseRss = server.rssBytes();
      column.put("idle heap / RSS (MiB)", mib(baseHeap) + " / " + mib(baseRss));

      try (TrackerLoad load = new TrackerLoad(server.announceUri, swarmSize, offers, threads)) {
        long start = System.nanoTime();
        load.join(peers, 120);
        double joinSeconds = (System.nanoTime() - start) / 1e9;
        LoadStats stats = load.stats();
        column.put("peers joined (" + peers + " wanted)", stats.announceReplies.sum() + " in " + fmt(joinSeconds) + " s");
        log(server.name() + ": joined " + stats.announceReplies.sum() + " peers, errors: " + stats.firstError.get());

        // Both servers compile their hot paths at run time (C2, V8's TurboFan): measure warm.
        load.run(TrackerLoad.Phase.RELAY, 0, warmup / 2);
        load.quiesce(30);
        load.run(TrackerLoad.Phase.ANNOUNCE, 0, warmup / 2);
        load.quiesce(30);
        LoadStats.Snapshot[] announce = load.run(TrackerLoad.Phase.ANNOUNCE, SETTLE_SECONDS, seconds);
        column.put("announces/s (no offers)", fmt(announce[1].perSecond(announce[1].announceReplies(),
            announce[0].announceReplies(), announce[0])));
        load.quiesce(30);

        double cpuBefore = server.cpuSeconds();
        double ownCpuBefore = ownCpuSeconds();
        long offersBefore = stats.offersReceived.sum();
        LoadStats.Snapshot[] relay = load.run(TrackerLoad.Phase.RELAY, SETTLE_SECONDS, seconds);
        double cpu = server.cpuSeconds() - cpuBefore;
        double ownCpu = ownCpuSeconds() - ownCpuBefore;
        long offersDuringPhase = stats.offersReceived.sum() - offersBefore;
        LoadStats.Snapshot s0 = relay[0];
        LoadStats.Snapshot s1 = relay[1];
        double offersPerSecond = s1.perSecond(s1.offersReceived(), s0.offersReceived(), s0);
        column.put("announces/s (" + offers + " offers each)", fmt(s1.perSecond(s1.announceReplies(), s0.announceReplies(), s0)));
        column.put("offers relayed/s", fmt(offersPerSecond));
        column.put("answers relayed/s", fmt(s1.perSecond(s1.answersReceived(), s0.answersReceived(), s0)));
        column.put("offer relay latency p50 / p99 (ms)",
            fmt(stats.offerLatency.quantileMillis(0.5)) + " / " + fmt(stats.offerLatency.quantileMillis(0.99)));
        column.put("offer->answer round trip p99 (ms)", fmt(stats.answerRoundTrip.quantileMillis(0.99)));
        column.put("server CPU ms per 1000 relayed offers", fmt(cpu * 1000 / Math.max(1, offersDuringPhase / 1000.0)));
        column.put("server / load generator CPU use (cores)", fmt(cpu / (SETTLE_SECONDS + seconds)) + " / "
            + fmt(ownCpu / (SETTLE_SECONDS + seconds)));
        column.put("failure replies / first error", stats.failures.sum() + " / " + stats.firstError.get());
        load.quiesce(30);
      }
      Thread.sleep(3000);

      try (TrackerLoad load = new TrackerLoad(server.announceUri, swarmSize, offers, threads)) {
        long start = System.nanoTime();
        load.join(memoryPeers, 180);
        double joinSeconds = (System.nanoTime() - start) / 1e9;
        int open = load.openPeers();
        column.put("memory run: peers connected", open + " of " + memoryPeers + " (joined in " + fmt(joinSeconds) + " s)");
        column.put("memory run: joins/s", fmt(load.stats().announceReplies.sum() / joinSeconds));
        long heap = server.liveHeapBytes();
        long rss = server.rssBytes();
        column.put("memory run: live heap / RSS (MiB)", mib(heap) + " / " + mib(rss));
        long heapPerPeer = (heap - baseHeap) / Math.max(1, open);
        column.put("heap per peer (bytes)", Long.toString(heapPerPeer));
        column.put("live heap projected at 20000 peers (MiB)", mib(baseHeap + 20_000 * heapPerPeer));
        column.put("RSS per peer (bytes)", Long.toString((rss - baseRss) / Math.max(1, open)));
        LoadStats.Snapshot[] relay = load.run(TrackerLoad.Phase.RELAY, 2, 5);
        column.put("memory run: offers relayed/s", fmt(relay[1].perSecond(relay[1].offersReceived(),
            relay[0].offersReceived(), relay[0])));
        column.put("memory run: peers still connected", Integer.toString(load.openPeers()));
        column.put("memory run: failure replies / first error",
            load.stats().failures.sum() + " / " + load.stats().firstError.get());
        load.quiesce(30);
      }
      log(server.name() + ": done");
    }
    return column;
  }

  /**
   * Open-file limit of this process (inherited by the servers) less headroom for the JVM's own
   * files: one process cannot hold more sockets. Where the hard limit cannot be raised (no
   * CAP_SYS_RESOURCE), the memory run is capped there and the per-peer figures extrapolate.
   */
  private static int maxSocketsPerProcess() throws java.io.IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
      if (line.startsWith("Max open files")) {
        String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
        if (!soft.equals("unlimited") && Integer.parseInt(soft) - 600 < Integer.MAX_VALUE) {
          int max = Integer.parseInt(soft) - 600;
          log("open-file limit " + soft + ": at most " + max + " peers per run");
          return max;
        }
      }
    }
    return Integer.MAX_VALUE;
  }

  private static void print(List<Map<String, String>> columns) {
    List<String> keys = new ArrayList<>();
    columns.forEach(c -> c.keySet().stream().filter(k -> !keys.contains(k)).forEach(keys::add));
    StringBuilder out = new StringBuilder("\n");
    for (String key : keys) {
      out.append(String.format("%-40s", key));
      for (Map<String, String> column : columns) {
        out.append(String.format(" | %-28s", column.getOrDefault(key, "-")));
      }
      out.append('\n');
    }
    if (columns.size() == 2) {
      double ours = Double.parseDouble(columns.get(0).get("offers relayed/s"));
      double reference = Double.parseDouble(columns.get(1).get("offers relayed/s"));
      out.append(String.format("%-40s | %.2fx%n", "offers relayed/s, swarmcdn / reference", ours / reference));
    }
    System.out.print(out);
  }

  private static double ownCpuSeconds() {
    return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
  }

  private static void log(String message) {
    System.err.println("[tracker-load] " + message);
  }

  private static String mib(long bytes) {
    return fmt(bytes / 1048576.0);
  }

  private static String fmt(double value) {
    return value >= 100 ? Long.toString(Math.round(value)) : String.format("%.2f", value);
  }
}
