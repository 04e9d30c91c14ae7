package io.swarmcdn.torrent.jvm.tcp;

import io.swarmcdn.torrent.engine.Peer;
import io.swarmcdn.torrent.engine.TorrentEngine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Runs a {@link TorrentEngine} over TCP (BEP 3): listens for peers, connects to peers, feeds the
 * engine what it reads, writes what the engine sends, and ticks its timers. The engine lives on
 * the transport's one event-loop thread; other threads reach it through {@link #call}.
 *
 * <pre>{@code
 * TcpTransport tcp = new TcpTransport(engine, TcpTransport.DEFAULT_MAX_CONNECTIONS);
 * InetSocketAddress at = tcp.listen(new InetSocketAddress("0.0.0.0", 6881));
 * tcp.start();
 * tcp.connect(new InetSocketAddress("127.0.0.1", 51413));
 * }</pre>
 */
public final class TcpTransport implements AutoCloseable {

    /** Default cap on simultaneous connections, both directions together. */
    public static final int DEFAULT_MAX_CONNECTIONS = 200;
    /** Engine timer period: fine enough for request timeouts and rate sampling. */
    static final long TICK_MILLIS = 100;
    /** One read takes at most this much from a socket (the engine decodes it right away). */
    static final int READ_BUFFER_BYTES = 256 * 1024;
    /** An outgoing connect that takes longer than this is abandoned. */
    static final long CONNECT_TIMEOUT_MILLIS = 10_000;

    private final TorrentEngine engine;
    private final SelectorLoop<Peer> loop;
    /** Remote addresses we are connected or connecting to (loop thread only): no duplicates. */
    private final Set<String> outgoing = new HashSet<>();
    private final Set<String> ownAddresses = new HashSet<>();

    public TcpTransport(TorrentEngine engine, int maxConnections) throws IOException {
        this.engine = engine;
        this.loop = new SelectorLoop<>(new EngineHandler(),
                new SelectorLoop.Settings(maxConnections, READ_BUFFER_BYTES, TICK_MILLIS,
                        CONNECT_TIMEOUT_MILLIS),
                "swarmcdn-tcp");
    }

    /**
     * Accepts peers on {@code address} (port 0: a free port); returns where it listens. May be
     * called before or after {@link #start}.
     */
    public InetSocketAddress listen(InetSocketAddress address) throws IOException {
        InetSocketAddress bound = loop.listen(address);
        String port = ":" + bound.getPort();
        loop.call(() -> {
            ownAddresses.add("127.0.0.1" + port);
            ownAddresses.add(bound.getAddress().getHostAddress() + port);
            return null;
        });
        return bound;
    }

    /** Starts the event loop thread. */
    public void start() {
        loop.start();
    }

    /**
     * Connects to a peer, unless already connected to it, it is banned, or it is this transport's
     * own listening address (trackers list us too). Safe from any thread; failures are silent
     * (the peer is simply not there).
     */
    public void connect(InetSocketAddress peer) {
        loop.execute(() -> {
            String host = peer.getHostString();
            String key = host + ":" + peer.getPort();
            if (ownAddresses.contains(key) || engine.isBanned(banKey(host, peer.getPort()))
                    || !outgoing.add(key)) {
                return;
            }
            loop.connect(peer);
        });
    }

    /** The engine this transport drives; use it only on its thread, through {@link #call}. */
    public TorrentEngine engine() {
        return engine;
    }

    /**
     * Runs {@code task} on the engine's thread, soon (e.g. a digest computed on another thread
     * handed back to the engine). Safe from any thread.
     */
    public void execute(Runnable task) {
        loop.execute(task);
    }

    /** Runs {@code query} on the engine's thread and returns its result (e.g. statistics). */
    public <T> T call(Callable<T> query) throws IOException {
        return loop.call(query);
    }

    /** Stops the engine (closing every peer and the storage), then the loop. */
    @Override
    public void close() {
        try {
            loop.call(() -> {
                engine.stop();
                return null;
            });
        } catch (IOException e) {
            // the loop is already gone; nothing is left to stop
        }
        loop.close();
    }

    /**
     * The engine's ban key for a connection. On a real network a peer is its IP address (a
     * banned peer cannot come back from another port). On loopback every peer shares the one
     * address, so the port tells them apart.
     */
    static String banKey(String host, int port) {
        try {
            if (InetAddress.getByName(host).isLoopbackAddress()) {
                return host + ":" + port;
            }
        } catch (IOException e) {
            // a literal address needs no lookup; anything else is keyed by its name
        }
        return host;
    }

    /** The loop's view of the engine. */
    private final class EngineHandler implements SelectorLoop.Handler<Peer> {

        @Override
        public Peer opened(TcpLink<Peer> link) {
            String address = link.address;
            int colon = address.lastIndexOf(':');
            return engine.addPeer(link, banKey(address.substring(0, colon),
                    Integer.parseInt(address.substring(colon + 1))));
        }

        @Override
        public void received(Peer peer, byte[] data, int offset, int length) {
            engine.onBytes(peer, data, offset, length);
        }

        @Override
        public void writable(Peer peer) {
            engine.onWritable(peer);
        }

        @Override
        public void closed(TcpLink<Peer> link, String reason, boolean requested) {
            if (link.outgoing) {
                outgoing.remove(link.address);
            }
            if (!requested && link.handle != null) {
                engine.onClosed(link.handle);
            }
        }

        @Override
        public void tick() {
            engine.tick();
        }
    }
}
