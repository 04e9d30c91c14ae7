package io.swarmcdn.torrent.jvm.tcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One thread, one NIO selector, many TCP connections: the thread is also the thread of the
 * sans-I/O engine it drives ({@link Handler}), so the engine needs no locks. Why not a thread per
 * connection: the engine is single-threaded by contract, so per-connection threads would only
 * add a lock (or a queue hand-off) per message and a thread stack per peer. bench/peer-transfer
 * shows this loop at or above libtorrent's throughput on loopback.
 *
 * <p>Every input is bounded: reads go into one fixed buffer ({@link Settings#readBufferBytes}),
 * at most {@link Settings#maxConnections} connections exist at once (more are closed on
 * accept), and an outgoing connect that does not complete in time is dropped. Other threads talk
 * to the loop only through {@link #execute}.
 */
final class SelectorLoop<H> implements AutoCloseable {

    /** What the loop drives; every call happens on the loop thread. */
    interface Handler<H> {

        /** A connection is up (accepted, or an outgoing connect completed). */
        H opened(TcpLink<H> link);

        /** Bytes read from the connection; the array is reused after the call returns. */
        void received(H handle, byte[] data, int offset, int length);

        /**
         * The send queue drained into the socket: after any flush that emptied it, or once the
         * socket takes data again after pushing back. The owner resumes what it held back.
         */
        void writable(H handle);

        /**
         * The connection ended: exactly once per link, also for an outgoing connect that never
         * came up (then {@code link.handle} is null).
         *
         * @param requested true when the owner asked for it with {@link TcpLink#close}
         */
        void closed(TcpLink<H> link, String reason, boolean requested);

        /** Called every {@link Settings#tickMillis}. */
        void tick();
    }

    /** Limits of one loop. */
    record Settings(int maxConnections, int readBufferBytes, long tickMillis,
            long connectTimeoutMillis) {
    }

    private static final System.Logger LOG = System.getLogger(SelectorLoop.class.getName());
    /** Reads per readiness event, so one fast peer cannot starve the others. */
    private static final int READS_PER_EVENT = 4;

    private final Handler<H> handler;
    private final Settings settings;
    private final Selector selector;
    private final ByteBuffer readBuffer;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final List<TcpLink<H>> dirty = new ArrayList<>();
    private final List<TcpLink<H>> connecting = new ArrayList<>();
    private final List<ServerSocketChannel> servers = new ArrayList<>();
    private final Thread thread;
    private int connections;
    private volatile boolean stopping;

    SelectorLoop(Handler<H> handler, Settings settings, String threadName) throws IOException {
        this.handler = handler;
        this.settings = settings;
        this.selector = Selector.open();
        this.readBuffer = ByteBuffer.allocate(settings.readBufferBytes());
        this.thread = new Thread(this::run, threadName);
    }

    void start() {
        thread.start();
    }

    /** Runs {@code task} on the loop thread, soon. Safe from any thread. */
    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /** Runs {@code task} on the loop thread and waits for its result (not from the loop thread). */
    <T> T call(Callable<T> task) throws IOException {
        if (thread.getState() == Thread.State.NEW) {
            try {
                return task.call(); // not started yet: this thread is the only one
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        execute(() -> {
            try {
                result.complete(task.call());
            } catch (Exception | Error e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (TimeoutException e) {
            throw new IOException("event loop did not answer", e);
        }
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Listens on {@code address} (port 0: any free port); returns the bound address. */
    InetSocketAddress listen(InetSocketAddress address) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.bind(address, 128);
            server.configureBlocking(false);
            call(() -> {
                server.register(selector, SelectionKey.OP_ACCEPT);
                servers.add(server);
                return null;
            });
            return (InetSocketAddress) server.getLocalAddress();
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** Starts connecting to {@code address}; the handler hears of it once it is up. Loop thread. */
    void connect(InetSocketAddress address) {
        if (connections >= settings.maxConnections()) {
            return;
        }
        SocketChannel ch;
        try {
            ch = SocketChannel.open();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot open a socket: " + e);
            return;
        }
        TcpLink<H> link = new TcpLink<>(this, ch, address.getHostString() + ":" + address.getPort(), true);
        connections++;
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (ch.connect(address)) {
                established(link, SelectionKey.OP_READ);
            } else {
                link.key = ch.register(selector, SelectionKey.OP_CONNECT, link);
                link.connectDeadline = now() + settings.connectTimeoutMillis();
                connecting.add(link);
            }
        } catch (IOException | RuntimeException e) {
            closeLink(link, "connect failed: " + e, false);
        }
    }

    /** Number of open (or opening) connections. Loop thread. */
    int connections() {
        return connections;
    }

    void markDirty(TcpLink<H> link) {
        if (!link.dirty) {
            link.dirty = true;
            dirty.add(link);
        }
    }

    /** Closes a link and tells the handler; {@code requested}: the owner asked for it. */
    void closeLink(TcpLink<H> link, String reason, boolean requested) {
        if (link.closed) {
            return;
        }
        link.closed = true;
        link.dropQueue();
        if (link.key != null) {
            link.key.cancel();
        }
        closeQuietly(link.channel);
        connections--;
        handler.closed(link, reason, requested);
    }

    private void run() {
        long nextTick = now() + settings.tickMillis();
        try {
            while (!stopping) {
                long wait = nextTick - now();
                if (wait > 0) {
                    selector.select(wait);
                } else {
                    selector.selectNow();
                }
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    handleKey(key);
                }
                selector.selectedKeys().clear();
                long now = now();
                if (now >= nextTick) {
                    nextTick = now + settings.tickMillis();
                    expireConnects(now);
                    handler.tick();
                }
                flushDirty();
            }
        } catch (IOException | ClosedSelectorException e) {
            LOG.log(System.Logger.Level.ERROR, "event loop failed", e);
        } finally {
            shutdown();
        }
    }

    @SuppressWarnings("unchecked")
    private void handleKey(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        if (key.channel() instanceof ServerSocketChannel server) {
            accept(server);
            return;
        }
        TcpLink<H> link = (TcpLink<H>) key.attachment();
        try {
            if (key.isConnectable()) {
                if (link.channel.finishConnect()) {
                    connecting.remove(link);
                    established(link, SelectionKey.OP_READ);
                }
                return;
            }
            if (key.isReadable()) {
                read(link);
            }
            if (!link.closed && key.isValid() && key.isWritable()) {
                if (link.flush()) {
                    key.interestOps(SelectionKey.OP_READ);
                    link.blocked = false;
                    handler.writable(link.handle);
                }
            }
        } catch (IOException e) {
            connecting.remove(link);
            closeLink(link, e.getMessage() == null ? e.toString() : e.getMessage(), false);
        } catch (RuntimeException e) {
            // A bug in the handler must not take down every other connection with it.
            LOG.log(System.Logger.Level.ERROR, "handler failed on " + link, e);
            closeLink(link, "internal error: " + e, false);
        }
    }

    private void accept(ServerSocketChannel server) {
        try {
            SocketChannel ch;
            while ((ch = server.accept()) != null) {
                if (connections >= settings.maxConnections()) {
                    closeQuietly(ch); // over the limit: refuse
                    continue;
                }
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                InetSocketAddress remote = (InetSocketAddress) ch.getRemoteAddress();
                String address = remote.getAddress().getHostAddress() + ":" + remote.getPort();
                TcpLink<H> link = new TcpLink<>(this, ch, address, false);
                connections++;
                try {
                    established(link, SelectionKey.OP_READ);
                } catch (IOException e) {
                    closeLink(link, "cannot register: " + e, false);
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "accept failed: " + e);
        }
    }

    private void established(TcpLink<H> link, int ops) throws IOException {
        link.connected = true;
        if (link.key == null) {
            link.key = link.channel.register(selector, ops, link);
        } else {
            link.key.interestOps(ops);
        }
        H handle = handler.opened(link);
        if (!link.closed) {
            link.handle = handle;
        }
    }

    private void read(TcpLink<H> link) throws IOException {
        for (int i = 0; i < READS_PER_EVENT && !link.closed; i++) {
            readBuffer.clear();
            int n = link.channel.read(readBuffer);
            if (n < 0) {
                closeLink(link, "connection closed by peer", false);
                return;
            }
            if (n == 0) {
                return;
            }
            handler.received(link.handle, readBuffer.array(), 0, n);
            if (n < readBuffer.capacity()) {
                return; // drained the socket for now
            }
        }
    }

    private void flushDirty() {
        for (int i = 0; i < dirty.size(); i++) {
            TcpLink<H> link = dirty.get(i);
            link.dirty = false;
            if (link.closed || !link.connected || link.blocked) {
                continue;
            }
            try {
                if (!link.flush()) {
                    link.blocked = true;
                    link.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                } else if (link.handle != null) {
                    // The queue drained into the socket: the owner may have paused at its own
                    // high-water mark (the engine stops serving blocks above 1 MiB queued), so
                    // tell it now rather than at its next read or tick. What it sends marks the
                    // link dirty again and is flushed by this same loop.
                    handler.writable(link.handle);
                }
            } catch (IOException e) {
                closeLink(link, e.getMessage() == null ? e.toString() : e.getMessage(), false);
            }
        }
        dirty.clear();
    }

    private void expireConnects(long now) {
        for (int i = connecting.size() - 1; i >= 0; i--) {
            TcpLink<H> link = connecting.get(i);
            if (link.closed || now >= link.connectDeadline) {
                connecting.remove(i);
                closeLink(link, "connect timed out", false);
            }
        }
    }

    private static long now() {
        return System.nanoTime() / 1_000_000;
    }

    @Override
    public void close() {
        stopping = true;
        selector.wakeup();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!thread.isAlive()) {
            shutdown();
        }
    }

    private void shutdown() {
        if (!selector.isOpen()) {
            return;
        }
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof TcpLink<?> link) {
                @SuppressWarnings("unchecked")
                TcpLink<H> l = (TcpLink<H>) link;
                closeLink(l, "shutting down", false);
            } else {
                closeQuietly(key.channel());
            }
        }
        for (ServerSocketChannel s : servers) {
            closeQuietly(s);
        }
        closeQuietly(selector);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // nothing useful to do about a failing close
        }
    }
}
