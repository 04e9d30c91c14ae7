package io.swarmcdn.torrent.jvm.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.swarmcdn.torrent.metainfo.InfoHash;
import io.swarmcdn.torrent.tracker.AnnounceRequest;
import io.swarmcdn.torrent.tracker.AnnounceResponse;
import io.swarmcdn.torrent.tracker.PeerAddress;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Against a real HTTP server on loopback. */
@Timeout(20)
class HttpTrackerClientTest {

    private HttpServer server;
    private final AtomicReference<String> query = new AtomicReference<>();
    private volatile int status = 200;
    private volatile byte[] body;
    private volatile long delayMillis;

    private final HttpTrackerClient client = new HttpTrackerClient(Duration.ofSeconds(2));
    private final AnnounceRequest request = new AnnounceRequest(
            InfoHash.fromHex("e70ed77a934aeda363733f12736faeb7626b049f"),
            "-SW0001-000000000000".getBytes(), 7000, 0, 0, 100, AnnounceRequest.Event.STARTED, 20);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/announce", ex -> {
            query.set(ex.getRequestURI().getRawQuery());
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] b = body;
            ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/announce";
    }

    @Test
    void announcesAndParsesCompactPeers() throws IOException {
        body = AnnounceResponse.of(900, List.of(new PeerAddress("127.0.0.1", 6881))).encode();
        AnnounceResponse r = client.announce(url(), request);
        assertThat(r.peers()).containsExactly(new PeerAddress("127.0.0.1", 6881));
        assertThat(r.interval()).isEqualTo(900);
        assertThat(query.get()).startsWith("info_hash=%E7%0E%D7z%93J%ED%A3cs%3F%12so%AE%B7bk%04%9F&")
                .contains("&port=7000&", "&left=100&", "&compact=1", "&event=started");
    }

    @Test
    void trackerFailureIsReturnedNotThrown() throws IOException {
        body = AnnounceResponse.failure("unregistered torrent").encode();
        assertThat(client.announce(url(), request).failureReason()).isEqualTo("unregistered torrent");
    }

    @Test
    void httpErrorsGarbageOversizeAndSlowTrackersAreIoExceptions() {
        status = 500;
        body = new byte[0];
        assertThatThrownBy(() -> client.announce(url(), request))
                .isInstanceOf(IOException.class).hasMessageContaining("HTTP 500");
        status = 200;
        body = "<html>hello</html>".getBytes();
        assertThatThrownBy(() -> client.announce(url(), request))
                .isInstanceOf(IOException.class).hasMessageContaining("not bencode");
        body = new byte[AnnounceResponse.MAX_BODY_BYTES + 10];
        assertThatThrownBy(() -> client.announce(url(), request))
                .isInstanceOf(IOException.class).hasMessageContaining("larger than");
        body = AnnounceResponse.of(1, List.of()).encode();
        delayMillis = 4000;
        assertThatThrownBy(() -> client.announce(url(), request)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> client.announce("udp://127.0.0.1:1/announce", request))
                .isInstanceOf(IOException.class).hasMessageContaining("not an HTTP tracker");
    }
}
