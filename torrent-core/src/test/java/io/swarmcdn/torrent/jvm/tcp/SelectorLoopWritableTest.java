package io.swarmcdn.torrent.jvm.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Regression: {@code writable} came only after the socket had pushed back, so an engine that
 * paused serving at its own high-water mark (1 MiB queued) waited for the peer's next message or
 * the next tick although the queue had long drained; our seeder ran at a third of its speed.
 */
@Timeout(20)
class SelectorLoopWritableTest {

    /** Sends one message per writable call, as an engine serving queued requests does. */
    static final class Pump extends SelectorLoopTest.Echo {
        final CountDownLatch sentAll = new CountDownLatch(1);
        int remaining = 50;

        @Override
        public SelectorLoopTest.Conn opened(TcpLink<SelectorLoopTest.Conn> link) {
            SelectorLoopTest.Conn c = super.opened(link);
            link.send(new byte[1000], 0, 1000); // then held back until writable
            remaining--;
            return c;
        }

        @Override
        public void writable(SelectorLoopTest.Conn c) {
            super.writable(c);
            if (remaining > 0) {
                remaining--;
                c.link.send(new byte[1000], 0, 1000);
            } else {
                sentAll.countDown();
            }
        }
    }

    @Test
    void writableFollowsEveryFlushThatDrainsTheQueue() throws Exception {
        Pump pump = new Pump();
        // Ticks far apart: progress must not depend on them.
        try (SelectorLoop<SelectorLoopTest.Conn> loop = new SelectorLoop<>(pump,
                new SelectorLoop.Settings(4, 64 * 1024, 60_000, 5_000), "writable-test")) {
            InetSocketAddress at = loop.listen(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            loop.start();
            try (Socket client = new Socket(at.getAddress(), at.getPort())) {
                client.setSoTimeout(5_000); // a stalled sender fails the test instead of hanging
                InputStream in = client.getInputStream();
                byte[] all = in.readNBytes(50 * 1000);
                assertThat(all).hasSize(50 * 1000);
                assertThat(pump.sentAll.await(5, TimeUnit.SECONDS)).isTrue();
            }
        }
    }
}
