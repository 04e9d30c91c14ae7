package io.swarmcdn.torrent.jvm.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The event loop over real loopback sockets, driving a small echo handler. */
@Timeout(30)
class SelectorLoopTest {

    private static final InetSocketAddress ANY_LOOPBACK =
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /** A connection of the echo handler. */
    static final class Conn {
        final TcpLink<Conn> link;

        Conn(TcpLink<Conn> link) {
            this.link = link;
        }
    }

    /** Echoes every byte back (a copy: the read buffer is reused); records what happened. */
    static class Echo implements SelectorLoop.Handler<Conn> {
        final List<String> opened = new CopyOnWriteArrayList<>();
        final List<String> closed = new CopyOnWriteArrayList<>();
        final AtomicInteger writable = new AtomicInteger();
        final AtomicInteger ticks = new AtomicInteger();
        final CountDownLatch open = new CountDownLatch(1);
        volatile long maxBuffered;

        @Override
        public Conn opened(TcpLink<Conn> link) {
            opened.add((link.outgoing ? "out " : "in ") + link.address);
            open.countDown();
            return new Conn(link);
        }

        @Override
        public void received(Conn c, byte[] data, int offset, int length) {
            c.link.send(Arrays.copyOfRange(data, offset, offset + length), 0, length);
            maxBuffered = Math.max(maxBuffered, c.link.bufferedBytes());
        }

        @Override
        public void writable(Conn c) {
            writable.incrementAndGet();
        }

        @Override
        public void closed(TcpLink<Conn> link, String reason, boolean requested) {
            closed.add((requested ? "requested: " : "") + reason);
        }

        @Override
        public void tick() {
            ticks.incrementAndGet();
        }
    }

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private SelectorLoop<Conn> loop(Echo echo, int maxConnections) throws IOException {
        SelectorLoop<Conn> loop = new SelectorLoop<>(echo,
                new SelectorLoop.Settings(maxConnections, 64 * 1024, 50, 1000), "test-loop");
        toClose.add(loop);
        return loop;
    }

    private Socket socket(InetSocketAddress to) throws IOException {
        Socket s = new Socket(to.getAddress(), to.getPort());
        s.setSoTimeout(10_000);
        toClose.add(s);
        return s;
    }

    @Test
    void echoes32MiBWithBackPressureWhileTheClientReadsSlowly() throws Exception {
        Echo echo = new Echo();
        SelectorLoop<Conn> loop = loop(echo, 10);
        InetSocketAddress at = loop.listen(ANY_LOOPBACK);
        loop.start();
        Socket s = socket(at);
        byte[] data = new byte[32 << 20];
        new Random(1).nextBytes(data);
        Thread writer = new Thread(() -> {
            try {
                OutputStream out = s.getOutputStream();
                for (int off = 0; off < data.length; off += 1 << 20) {
                    out.write(data, off, 1 << 20);
                }
            } catch (IOException ignored) {
                // the assertion below reports the failure
            }
        });
        writer.start();
        Thread.sleep(500); // let the echo queue grow against a client that is not reading yet
        byte[] back = new byte[data.length];
        new DataInputStream(s.getInputStream()).readFully(back);
        writer.join();
        assertThat(back).isEqualTo(data);
        assertThat(echo.writable.get()).as("drain notifications").isPositive();
        assertThat(echo.ticks.get()).isPositive();
        assertThat(echo.opened).singleElement().asString().startsWith("in 127.0.0.1:");
        s.close();
        waitFor(() -> echo.closed.contains("connection closed by peer"));
    }

    @Test
    void refusesConnectionsAboveTheLimit() throws Exception {
        Echo echo = new Echo();
        SelectorLoop<Conn> loop = loop(echo, 2);
        InetSocketAddress at = loop.listen(ANY_LOOPBACK);
        loop.start();
        Socket a = socket(at);
        Socket b = socket(at);
        waitFor(() -> echo.opened.size() == 2);
        Socket c = socket(at);
        assertThat(c.getInputStream().read()).as("third connection closed").isEqualTo(-1);
        a.getOutputStream().write(7);
        assertThat(a.getInputStream().read()).isEqualTo(7);
        assertThat(echo.opened).hasSize(2);
        b.close();
    }

    @Test
    void connectsOutAndDropsConnectsThatFail() throws Exception {
        Echo echo = new Echo();
        SelectorLoop<Conn> loop = loop(echo, 10);
        loop.start();
        int closedPort;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = gone.getLocalPort();
        }
        loop.execute(() -> loop.connect(new InetSocketAddress("127.0.0.1", closedPort)));
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            loop.execute(() -> loop.connect(new InetSocketAddress("127.0.0.1", server.getLocalPort())));
            Socket s = server.accept();
            toClose.add(s);
            assertThat(echo.open.await(5, TimeUnit.SECONDS)).isTrue();
            s.getOutputStream().write(new byte[] {1, 2, 3});
            InputStream in = s.getInputStream();
            assertThat(new byte[] {(byte) in.read(), (byte) in.read(), (byte) in.read()})
                    .containsExactly(1, 2, 3);
        }
        assertThat(echo.opened).singleElement().asString().startsWith("out 127.0.0.1:");
        waitFor(() -> echo.closed.stream().anyMatch(r -> r.contains("Connection refused")));
    }

    @Test
    void closeByTheOwnerIsReportedAsRequestedAndStopsReading() throws Exception {
        Echo echo = new Echo() {
            @Override
            public void received(Conn c, byte[] data, int offset, int length) {
                c.link.close("protocol violation");
            }
        };
        SelectorLoop<Conn> loop = loop(echo, 10);
        InetSocketAddress at = loop.listen(ANY_LOOPBACK);
        loop.start();
        Socket s = socket(at);
        s.getOutputStream().write(1);
        assertThat(s.getInputStream().read()).isEqualTo(-1);
        // The peer sees EOF as soon as the channel closes; the loop reports the close right after.
        waitFor(() -> !echo.closed.isEmpty());
        assertThat(echo.closed).containsExactly("requested: protocol violation");
        assertThat(loop.call(loop::connections)).isZero();
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private static void waitFor(Check check) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!check.ok()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met in time");
            }
            Thread.sleep(20);
        }
    }
}
