package io.swarmcdn.torrent.jvm.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmcdn.torrent.jvm.hash.JdkSha1;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PooledPieceHasherTest {

    @Test
    void digestsArriveThroughTheEngineThreadExecutor() throws Exception {
        BlockingQueue<Runnable> engineThread = new ArrayBlockingQueue<>(16);
        byte[] data = new byte[1 << 20];
        new Random(1).nextBytes(data);
        List<byte[]> results = new ArrayList<>();
        try (PooledPieceHasher hasher = new PooledPieceHasher(2, engineThread::add)) {
            hasher.hash(data, 0, data.length, results::add);
            hasher.hash(data, 100, 1000, results::add);
            // Nothing is delivered outside the engine thread's queue.
            for (int i = 0; i < 2; i++) {
                engineThread.poll(5, TimeUnit.SECONDS).run();
            }
        }
        JdkSha1 sha1 = new JdkSha1();
        assertThat(results).hasSize(2);
        assertThat(results).anySatisfy(d -> assertThat(d).isEqualTo(sha1.digest(data, 0, data.length)));
        assertThat(results).anySatisfy(d -> assertThat(d).isEqualTo(sha1.digest(data, 100, 1000)));
    }
}
