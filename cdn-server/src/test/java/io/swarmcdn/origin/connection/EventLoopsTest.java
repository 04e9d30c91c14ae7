package io.swarmcdn.origin.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmcdn.origin.OriginServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code swarmcdn.event-loops}: the server's connections are served by exactly that many event
 * loops of its own, one per core by default. Counted as the threads of the server's loop group
 * that appear while many connections are open at once (each new connection goes to the next
 * loop, so they reach every loop).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EventLoopsTest {

  private static final String LOOP_THREAD_PREFIX = "swarmcdn-http-";

  @TempDir Path dir;

  @Test
  void theServerRunsOnTheConfiguredNumberOfEventLoops() throws Exception {
    assertThat(loopsServing(8, "one", "--swarmcdn.event-loops=1")).isEqualTo(1);
    assertThat(loopsServing(8, "three", "--swarmcdn.event-loops=3")).isEqualTo(3);
  }

  @Test
  void byDefaultOneEventLoopPerCore() throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    assertThat(loopsServing(2 * cores + 2, "default")).isEqualTo(cores);
  }

  @Test
  void aNegativeCountIsRefusedAtStart() {
    OriginServer server =
        new OriginServer(dir.resolve("media"), dir.resolve("data"), "--swarmcdn.event-loops=-1");
    assertThatThrownBy(server::start)
        .rootCause()
        .hasMessageContaining("swarmcdn.event-loops must be 0 (one per core) or more");
    server.close();
  }

  /** Starts an origin, holds {@code connections} keep-alive connections open at once, each with
   * an answered request, and returns how many new event-loop threads of the server there are. */
  private long loopsServing(int connections, String name, String... args) throws Exception {
    Set<Long> before = loopThreadIds();
    try (OriginServer server =
        new OriginServer(dir.resolve(name + "-media"), dir.resolve(name + "-data"), args).start()) {
      List<Socket> open = new ArrayList<>();
      try {
        for (int i = 0; i < connections; i++) {
          Socket socket = new Socket("127.0.0.1", server.port());
          open.add(socket);
          socket.setSoTimeout(10_000);
          socket.getOutputStream().write(
              "GET /actuator/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          String status = new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
          assertThat(status).isEqualTo("HTTP/1.1 200 OK");
        }
        return loopThreadIds().stream().filter(id -> !before.contains(id)).count();
      } finally {
        for (Socket socket : open) {
          socket.close();
        }
      }
    }
  }

  private static Set<Long> loopThreadIds() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().startsWith(LOOP_THREAD_PREFIX))
        .map(Thread::getId)
        .collect(Collectors.toSet());
  }
}
