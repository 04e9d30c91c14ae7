package io.swarmcdn.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A real libtorrent peer (Debian's python3-libtorrent, run by {@code /usr/bin/python3}) driven
 * through {@code src/test/python/lt_peer.py}. Listens on 127.0.0.1 only, DHT/LSD/UPnP/NAT-PMP
 * off. {@link #close()} always ends the process.
 */
final class LibtorrentPeer implements AutoCloseable {

    static final Path SCRIPT = Paths.get("src/test/python/lt_peer.py").toAbsolutePath();

    private final Process process;
    private final CountDownLatch listening = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile int port;
    private volatile long uploaded = -1;
    private volatile long done;

    private LibtorrentPeer(List<String> command, Path log) throws IOException {
        process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        Thread reader = new Thread(this::readStdout, "lt-peer-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** Seeds the torrent from the data already in {@code saveDir}. */
    static LibtorrentPeer seed(Path torrent, Path saveDir, Path log) throws IOException {
        return start(List.of("seed", "--torrent", torrent.toString(), "--save", saveDir.toString()),
                List.of(), log);
    }

    /** Downloads a .torrent or a magnet URI into {@code saveDir} from the given peers. */
    static LibtorrentPeer download(String torrentOrMagnet, Path saveDir, List<String> peers,
            Path log) throws IOException {
        String kind = torrentOrMagnet.startsWith("magnet:") ? "--magnet" : "--torrent";
        return start(List.of("download", kind, torrentOrMagnet, "--save", saveDir.toString()),
                peers, log);
    }

    /** Writes a v1-only .torrent for {@code file} (the same info-hash mktorrent gives). */
    static void createTorrent(Path file, int pieceLength, Path out) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/python3", SCRIPT.toString(), "create",
                "--file", file.toString(), "--piece-length", Integer.toString(pieceLength),
                "--out", out.toString())
                .redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("lt_peer.py create failed: "
                        + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } finally {
            p.destroyForcibly();
        }
    }

    private static LibtorrentPeer start(List<String> args, List<String> peers, Path log)
            throws IOException {
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", SCRIPT.toString()));
        command.addAll(args);
        for (String peer : peers) {
            command.add("--connect");
            command.add(peer);
        }
        LibtorrentPeer peer = new LibtorrentPeer(command, log);
        try {
            if (!peer.listening.await(30, TimeUnit.SECONDS)) {
                throw new IOException("libtorrent peer did not start listening; see " + log);
            }
        } catch (InterruptedException e) {
            peer.close();
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } catch (IOException e) {
            peer.close();
            throw e;
        }
        return peer;
    }

    private void readStdout() {
        try (BufferedReader r = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.split(" ");
                switch (f[0]) {
                    case "PORT" -> {
                        port = Integer.parseInt(f[1]);
                        listening.countDown();
                    }
                    case "PROGRESS" -> done = Long.parseLong(f[1]);
                    case "FINISHED" -> finished.countDown();
                    case "UPLOADED" -> uploaded = Long.parseLong(f[1]);
                    default -> { }
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended; close() reports nothing more
        }
    }

    /** The TCP port it listens on (on 127.0.0.1). */
    int port() {
        return port;
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    /** Bytes verified so far (download mode; reported about once a second). */
    long bytesDone() {
        return done;
    }

    /** True once a download has every piece verified. */
    boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the peer and returns the bytes it uploaded (-1 if it did not say). */
    long stop() throws InterruptedException {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already gone
        }
        process.waitFor(10, TimeUnit.SECONDS);
        close();
        return uploaded;
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
