package io.swarmcdn.torrent.jvm.engine;

import io.swarmcdn.torrent.engine.PieceHasher;
import io.swarmcdn.torrent.jvm.hash.JdkSha1;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * Verifies pieces on worker threads, so that the engine's single thread keeps moving bytes while
 * SHA-1 runs on other cores (libtorrent hashes off its network thread for the same reason). Each
 * digest is handed back through {@code engineThread}, the transport's event loop, because the
 * engine must only be called from its own thread.
 */
public final class PooledPieceHasher implements PieceHasher, AutoCloseable {

    private final ExecutorService pool;
    private final Executor engineThread;
    private final JdkSha1 sha1 = new JdkSha1();

    /**
     * @param threads hashing threads (daemon)
     * @param engineThread runs a task on the engine's thread (e.g. the transport's loop)
     */
    public PooledPieceHasher(int threads, Executor engineThread) {
        ThreadFactory daemons = r -> {
            Thread t = new Thread(r, "swarmcdn-piece-hasher");
            t.setDaemon(true);
            return t;
        };
        this.pool = Executors.newFixedThreadPool(threads, daemons);
        this.engineThread = engineThread;
    }

    @Override
    public void hash(byte[] data, int offset, int length, Done done) {
        pool.execute(() -> {
            byte[] digest;
            try {
                digest = sha1.digest(data, offset, length);
            } catch (RuntimeException e) {
                digest = null; // reported to the engine as a failed piece
            }
            byte[] result = digest;
            engineThread.execute(() -> done.digested(result));
        });
    }

    /** Stops the workers; digests not yet delivered are dropped. */
    @Override
    public void close() {
        pool.shutdownNow();
    }
}
