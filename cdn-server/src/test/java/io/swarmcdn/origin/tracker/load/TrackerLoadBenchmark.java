package io.swarmcdn.origin.tracker.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark behind {@code bench/tracker-load}: the same WebSocket load against our tracker
 * (the origin jar, {@code -Xmx512m}) and against npm bittorrent-tracker's server, printed side by
 * side. Not a test: run it by hand; figures depend on the machine.
 *
 * <p>Both servers run at once, each with its own {@code --peers} peers in swarms of {@code
 * --swarm-size} (idle while the other is measured). Per tracker, first: a closed loop of plain
 * announces measures announces/s, after both loops ran unmeasured for {@code --warmup} seconds
 * (both servers compile at run time). Then {@code --rounds} rounds, each measuring ours and then
 * the reference in turn, of a closed loop of announces with {@code --offers} offers each, every
 * forwarded offer answered: relayed offers/s, the offer relay latency and the server's CPU per
 * relayed offer. Each round's pair and ratio are printed, and the table shows the medians: a
 * machine whose speed drifts over minutes (a shared VM) moves both sides of a round alike.
 * Last, per tracker alone, all disconnect, {@code --memory-peers} peers join, and the server's
 * live heap (after a full GC) and RSS are divided by the number of connected peers, net of the
 * idle server's baseline.
 *
 * <pre>
 * TrackerLoadBenchmark --jar cdn-server/target/cdn-server-0.1.0-SNAPSHOT.jar --interop-tests interop-tests
 *     [--peers 5000] [--memory-peers 20000] [--swarm-size 50] [--offers 5] [--seconds 12] [--rounds 3]
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
        "swarm-size", "50", "offers", "5", "seconds", "12", "rounds", "3", "warmup", "40", "threads", "2",
        "heap", "512m"));
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    new TrackerLoadBenchmark(options).run();
    System.exit(0);
  }

  /** One tracker under test: its process, its peers and its column of figures. */
  private static final class Side implements AutoCloseable {
    final TrackerProcess server;
    final Map<String, String> column = new LinkedHashMap<>();
    final List<Map<String, Double>> rounds = new ArrayList<>();
    long baseHeap;
    long baseRss;
    TrackerLoad load;
    String firstError;

    Side(TrackerProcess server) {
      this.server = server;
    }

    @Override
    public void close() throws Exception {
      try {
        if (load != null) {
          load.close();
        }
      } finally {
        server.close();
      }
    }
  }

  private void run() throws Exception {
    String only = options.get("only");
    List<Side> sides = new ArrayList<>();
    try {
      if (only == null || only.equals("swarmcdn")) {
        Path work = Files.createTempDirectory("swarmcdn-tracker-load-");
        List<String> javaOptions = options.containsKey("origin-java-options")
            ? List.of(options.get("origin-java-options").trim().split("\\s+")) : List.of();
        sides.add(new Side(TrackerProcess.origin(Path.of(options.get("jar")), work, options.get("heap"), javaOptions)));
      }
      if (only == null || only.equals("bittorrent-tracker")) {
        sides.add(new Side(TrackerProcess.reference(Path.of(options.get("interop-tests")))));
      }
      for (Side side : sides) {
        prepare(side);
      }
      int rounds = Integer.parseInt(options.get("rounds"));
      for (int round = 1; round <= rounds; round++) {
        for (Side side : sides) {
          side.rounds.add(relay(side));
        }
        printRound(round, sides);
      }
      for (Side side : sides) {
        side.firstError = side.load.stats().firstError.get();
        side.load.close();
        side.load = null;
      }
      Thread.sleep(3000);
      for (Side side : sides) {
        summarizeRounds(side);
        measureMemory(side);
        log(side.server.name() + ": done");
      }
    } finally {
      for (Side side : sides) {
        side.close();
      }
    }
    print(sides);
  }

  /** Idle baseline, peers joined, both loops warmed up, announces/s measured. */
  private void prepare(Side side) throws Exception {
    int peers = Integer.parseInt(options.get("peers"));
    int swarmSize = Integer.parseInt(options.get("swarm-size"));
    int offers = Integer.parseInt(options.get("offers"));
    double seconds = Double.parseDouble(options.get("seconds"));
    double warmup = Double.parseDouble(options.get("warmup"));
    int threads = Integer.parseInt(options.get("threads"));
    TrackerProcess server = side.server;
    Map<String, String> column = side.column;
    column.put("tracker", server.name());
    log(server.name() + ": started, pid " + server.process.pid() + ", " + server.announceUri);
    side.baseHeap = server.liveHeapBytes();
    side.baseRss = server.rssBytes();
    column.put("idle heap / RSS (MiB)", mib(side.baseHeap) + " / " + mib(side.baseRss));

    side.load = new TrackerLoad(server.announceUri, swarmSize, offers, threads);
    TrackerLoad load = side.load;
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
  }

  /** One measured relay loop: its figures by name. */
  private Map<String, Double> relay(Side side) throws Exception {
    double seconds = Double.parseDouble(options.get("seconds"));
    TrackerLoad load = side.load;
    LoadStats stats = load.stats();
    long failuresBefore = stats.failures.sum();
    double cpuBefore = side.server.cpuSeconds();
    double ownCpuBefore = ownCpuSeconds();
    long offersBefore = stats.offersReceived.sum();
    LoadStats.Snapshot[] relay = load.run(TrackerLoad.Phase.RELAY, SETTLE_SECONDS, seconds);
    double cpu = side.server.cpuSeconds() - cpuBefore;
    double ownCpu = ownCpuSeconds() - ownCpuBefore;
    long offersDuringPhase = stats.offersReceived.sum() - offersBefore;
    LoadStats.Snapshot s0 = relay[0];
    LoadStats.Snapshot s1 = relay[1];
    Map<String, Double> figures = new LinkedHashMap<>();
    figures.put("announces/s", s1.perSecond(s1.announceReplies(), s0.announceReplies(), s0));
    figures.put("offers/s", s1.perSecond(s1.offersReceived(), s0.offersReceived(), s0));
    figures.put("answers/s", s1.perSecond(s1.answersReceived(), s0.answersReceived(), s0));
    figures.put("latency p50", stats.offerLatency.quantileMillis(0.5));
    figures.put("latency p99", stats.offerLatency.quantileMillis(0.99));
    figures.put("round trip p99", stats.answerRoundTrip.quantileMillis(0.99));
    figures.put("cpu per 1000", cpu * 1000 / Math.max(1, offersDuringPhase / 1000.0));
    figures.put("server cores", cpu / (SETTLE_SECONDS + seconds));
    figures.put("generator cores", ownCpu / (SETTLE_SECONDS + seconds));
    figures.put("failures", (double) (stats.failures.sum() - failuresBefore));
    load.quiesce(30);
    log(side.server.name() + ": " + fmt(figures.get("offers/s")) + " offers/s, server CPU "
        + fmt(figures.get("cpu per 1000")) + " ms per 1000 offers");
    return figures;
  }

  private static void printRound(int round, List<Side> sides) {
    StringBuilder line = new StringBuilder("round " + round + ": offers relayed/s");
    for (Side side : sides) {
      Map<String, Double> last = side.rounds.get(side.rounds.size() - 1);
      line.append(String.format(" | %s %s (server CPU %s ms per 1000)", side.server.name(),
          fmt(last.get("offers/s")), fmt(last.get("cpu per 1000"))));
    }
    if (sides.size() == 2) {
      line.append(String.format(" | ratio %.2fx", ratio(sides, sides.get(0).rounds.size() - 1)));
    }
    System.out.println(line);
  }

  private static double ratio(List<Side> sides, int round) {
    return sides.get(0).rounds.get(round).get("offers/s") / sides.get(1).rounds.get(round).get("offers/s");
  }

  /** The relay rows of the table: the median over the rounds of each figure. */
  private void summarizeRounds(Side side) {
    int offers = Integer.parseInt(options.get("offers"));
    Map<String, String> column = side.column;
    String of = " (median of " + side.rounds.size() + ")";
    column.put("announces/s (" + offers + " offers each)" + of, fmt(median(side, "announces/s")));
    column.put("offers relayed/s" + of, fmt(median(side, "offers/s")));
    column.put("answers relayed/s" + of, fmt(median(side, "answers/s")));
    column.put("offer relay latency p50 / p99 (ms)" + of,
        fmt(median(side, "latency p50")) + " / " + fmt(median(side, "latency p99")));
    column.put("offer->answer round trip p99 (ms)" + of, fmt(median(side, "round trip p99")));
    column.put("server CPU ms per 1000 relayed offers" + of, fmt(median(side, "cpu per 1000")));
    column.put("server / load generator CPU use (cores)" + of,
        fmt(median(side, "server cores")) + " / " + fmt(median(side, "generator cores")));
    double failures = side.rounds.stream().mapToDouble(r -> r.get("failures")).sum();
    column.put("failure replies / first error", Math.round(failures) + " / " + side.firstError);
  }

  private static double median(Side side, String figure) {
    double[] values = side.rounds.stream().mapToDouble(r -> r.get(figure)).sorted().toArray();
    int middle = values.length / 2;
    return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
  }

  /** Alone on the machine: {@code --memory-peers} peers join, the server's heap and RSS per peer. */
  private void measureMemory(Side side) throws Exception {
    int memoryPeers = Math.min(Integer.parseInt(options.get("memory-peers")), maxSocketsPerProcess());
    int swarmSize = Integer.parseInt(options.get("swarm-size"));
    int offers = Integer.parseInt(options.get("offers"));
    int threads = Integer.parseInt(options.get("threads"));
    TrackerProcess server = side.server;
    Map<String, String> column = side.column;
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
      long heapPerPeer = (heap - side.baseHeap) / Math.max(1, open);
      column.put("heap per peer (bytes)", Long.toString(heapPerPeer));
      column.put("live heap projected at 20000 peers (MiB)", mib(side.baseHeap + 20_000 * heapPerPeer));
      column.put("RSS per peer (bytes)", Long.toString((rss - side.baseRss) / Math.max(1, open)));
      LoadStats.Snapshot[] relay = load.run(TrackerLoad.Phase.RELAY, 2, 5);
      column.put("memory run: offers relayed/s", fmt(relay[1].perSecond(relay[1].offersReceived(),
          relay[0].offersReceived(), relay[0])));
      column.put("memory run: peers still connected", Integer.toString(load.openPeers()));
      column.put("memory run: failure replies / first error",
          load.stats().failures.sum() + " / " + load.stats().firstError.get());
      load.quiesce(30);
    }
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

  private static void print(List<Side> sides) {
    List<Map<String, String>> columns = sides.stream().map(side -> side.column).toList();
    List<String> keys = new ArrayList<>();
    columns.forEach(c -> c.keySet().stream().filter(k -> !keys.contains(k)).forEach(keys::add));
    StringBuilder out = new StringBuilder("\n");
    for (String key : keys) {
      out.append(String.format("%-56s", key));
      for (Map<String, String> column : columns) {
        out.append(String.format(" | %-28s", column.getOrDefault(key, "-")));
      }
      out.append('\n');
    }
    if (sides.size() == 2) {
      int rounds = sides.get(0).rounds.size();
      double[] ratios = new double[rounds];
      StringBuilder each = new StringBuilder();
      for (int round = 0; round < rounds; round++) {
        ratios[round] = ratio(sides, round);
        each.append(round == 0 ? "" : ", ").append(String.format("%.2fx", ratios[round]));
      }
      java.util.Arrays.sort(ratios);
      double median = rounds % 2 == 1 ? ratios[rounds / 2] : (ratios[rounds / 2 - 1] + ratios[rounds / 2]) / 2;
      out.append(String.format("%-56s | %s%n", "offers relayed/s, swarmcdn / reference, by round", each));
      out.append(String.format("%-56s | %.2fx (lowest %.2fx)%n", "offers relayed/s, swarmcdn / reference, median",
          median, ratios[0]));
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
