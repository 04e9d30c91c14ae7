package io.swarmcdn.cli;

import com.sun.net.httpserver.HttpServer;
import io.swarmcdn.torrent.tracker.AnnounceResponse;
import io.swarmcdn.torrent.tracker.PeerAddress;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal classic HTTP tracker on 127.0.0.1 for interop tests: every announce is answered with
 * a fixed peer list (compact, BEP 23, encoded by torrent-core). It is how a reference client that
 * cannot be told a peer on its command line (aria2c) learns about ours.
 */
final class TestTracker implements AutoCloseable {

    private final HttpServer server;
    private final List<String> announces = new CopyOnWriteArrayList<>();
    private volatile List<PeerAddress> peers;

    TestTracker(List<PeerAddress> peers) throws IOException {
        this.peers = List.copyOf(peers);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/announce", exchange -> {
            announces.add(exchange.getRequestURI().getRawQuery());
            byte[] body = AnnounceResponse.of(5, this.peers).encode();
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    String announceUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/announce";
    }

    /** Raw query strings of the announces received so far. */
    List<String> announces() {
        return List.copyOf(announces);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
