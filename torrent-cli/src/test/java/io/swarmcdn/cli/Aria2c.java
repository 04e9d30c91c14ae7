package io.swarmcdn.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code aria2c} (Debian aria2) as a BitTorrent downloader that learns its peers
 * only from the given tracker: DHT, local peer discovery and PEX are off, so the only peer it can
 * reach is the one the tracker names.
 */
final class Aria2c {

    private Aria2c() {}

    /** Result of one run: exit code (-1 on timeout) and combined output. */
    record Result(int exitCode, String output) {}

    static Result download(Path torrent, Path dir, String trackerUrl, Duration timeout)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile(dir.getParent(), "aria2c", ".log");
        Path debug = Files.createTempFile(dir.getParent(), "aria2c", ".debug.log");
        List<String> command = List.of("aria2c",
                "--dir=" + dir,
                "--enable-dht=false", "--enable-dht6=false", "--bt-enable-lpd=false",
                "--enable-peer-exchange=false", "--bt-tracker=" + trackerUrl,
                "--listen-port=" + freePort(), "--seed-time=0",
                "--bt-stop-timeout=" + Math.max(5, timeout.toSeconds() - 5),
                "--console-log-level=warn", "--summary-interval=0", "--no-conf=true",
                "--log=" + debug, "--log-level=info",
                "--file-allocation=none", torrent.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            boolean exited = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Result(exited ? p.exitValue() : -1,
                    Files.readString(log) + "\n--- aria2c log:\n" + Files.readString(debug));
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A port that was free a moment ago; aria2c has no "pick one yourself" option. */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
